using System.Text.Json;

namespace LeaseActors.Judging;

/// <summary>Writes a <see cref="RunReport"/> as the run-result JSON object of DESIGN.md §5 (camelCase, <c>schemaVersion</c> first).</summary>
public static class RunReportJson
{
    /// <summary>Writes <paramref name="report"/> as one JSON object; <paramref name="extra"/> may add fields at the end (a campaign's <c>run</c>, <c>faults</c>, <c>wallMs</c>).</summary>
    public static void Write(Utf8JsonWriter writer, RunReport report, Action<Utf8JsonWriter>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", RunReport.CurrentSchemaVersion);
        writer.WriteString("topology", report.Topology);
        writer.WriteString("policy", report.Policy);
        writer.WriteNumber("seed", report.Seed);
        writer.WriteString("verdict", report.Verdict.Name());
        writer.WriteString("endedBy", report.EndedBy);
        writer.WriteNumber("virtualTimeMs", report.VirtualTimeMs);
        writer.WriteNumber("events", report.Events);
        writer.WriteString("traceSha256", report.TraceSha256);
        writer.WriteStartArray("breaks");
        foreach (var b in report.Breaks)
        {
            writer.WriteStartObject();
            writer.WriteString("inode", b.Inode);
            writer.WriteNumber("ofd", b.Ofd);
            writer.WriteString("kind", b.ToUnlock ? "unlock" : "downgrade");
            writer.WriteNumber("startMs", b.StartMs);
            WriteNullable(writer, "deadlineMs", b.DeadlineMs);
            WriteStrings(writer, "leaseHolders", b.LeaseHolders);
            WriteStrings(writer, "notified", b.Notified);
            WriteStrings(writer, "pinHolders", b.PinHolders);
            WriteNullable(writer, "releasedMs", b.ReleasedMs);
            if (b.ReleasedBy is null) writer.WriteNull("releasedBy"); else writer.WriteString("releasedBy", b.ReleasedBy);
            WriteNullable(writer, "regionsTornDownMs", b.RegionsTornDownMs);
            WriteNullable(writer, "slackMs", b.SlackMs);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        WriteStrings(writer, "violations", report.Violations);
        WriteStrings(writer, "refusals", report.Refusals);
        writer.WriteStartArray("faults");
        foreach (var f in report.Faults) WriteFault(writer, f);
        writer.WriteEndArray();
        WriteStrings(writer, "kills", report.Kills);
        writer.WriteStartArray("layoutChanges");
        foreach (var c in report.LayoutChanges)
        {
            writer.WriteStartObject();
            writer.WriteString("path", c.Path);
            writer.WriteString("process", c.Process);
            writer.WriteString("op", c.Op);
            writer.WriteNumber("startMs", c.StartMs);
            WriteNullable(writer, "deadlineMs", c.DeadlineMs);
            WriteNullable(writer, "doneMs", c.DoneMs);
            if (c.Errno is null) writer.WriteNull("errno"); else writer.WriteString("errno", c.Errno);
            if (c.WaitedFor is null) writer.WriteNull("waitedFor"); else writer.WriteString("waitedFor", c.WaitedFor);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("regions");
        foreach (var r in report.Regions)
        {
            writer.WriteStartObject();
            writer.WriteString("name", r.Name);
            writer.WriteString("process", r.Process);
            writer.WriteString("path", r.Path);
            writer.WriteBoolean("odp", r.Odp);
            writer.WriteNumber("blocks", r.Blocks);
            writer.WriteNumber("registeredMs", r.RegisteredMs);
            WriteNullable(writer, "tornDownMs", r.TornDownMs);
            writer.WriteNumber("dmaWrites", r.DmaWrites);
            WriteNullable(writer, "freedUnderMs", r.FreedUnderMs);
            writer.WriteNumber("dmaWritesIntoFreedBlocks", r.DmaWritesIntoFreedBlocks);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("findings");
        foreach (var f in report.Findings)
        {
            writer.WriteStartObject();
            writer.WriteString("id", f.Id);
            writer.WriteNumber("atMs", f.Time.TotalMilliseconds);
            if (f.Process is null) writer.WriteNull("process"); else writer.WriteString("process", f.Process);
            writer.WriteString("detail", f.Detail);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("blocked");
        foreach (var b in report.Blocked)
        {
            writer.WriteStartObject();
            writer.WriteString("process", b.Process);
            writer.WriteString("call", b.Call);
            if (b.Label is null) writer.WriteNull("label"); else writer.WriteString("label", b.Label);
            writer.WriteNumber("sinceMs", b.SinceMs);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartObject("expectation");
        writer.WriteBoolean("applicable", report.Expectation.Applicable);
        if (report.Expectation.Met is { } met) writer.WriteBoolean("met", met); else writer.WriteNull("met");
        WriteStrings(writer, "differences", report.Expectation.Differences);
        writer.WriteEndObject();
        extra?.Invoke(writer);
        writer.WriteEndObject();
    }

    /// <summary>The report as a JSON string (one line unless <paramref name="indented"/>).</summary>
    public static string ToJson(RunReport report, bool indented = false)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
            Write(writer, report);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes one injected fault (the shape of a campaign line's <c>faults[]</c> and of a schedule file).</summary>
    public static void WriteFault(Utf8JsonWriter writer, Chaos.Fault fault)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(fault);
        writer.WriteStartObject();
        writer.WriteString("kind", fault.Kind);
        writer.WriteString("point", fault.Point);
        writer.WriteString("owner", fault.Owner);
        writer.WriteNumber("ordinal", fault.Ordinal);
        WriteNullable(writer, "delayMs", fault.DelayMs);
        writer.WriteString("detail", fault.Detail);
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v) writer.WriteNumber(name, v);
        else writer.WriteNull(name);
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var v in values) writer.WriteStringValue(v);
        writer.WriteEndArray();
    }
}
