using System.Collections.Immutable;
using System.Text.Json;
using LeaseActors.Chaos;
using LeaseActors.Judging;

namespace LeaseActors.Cli.Output;

/// <summary>
/// A run's schedule: the topology, policy and seed it ran with, the scheduling choices it made
/// (<see cref="RunReport.Choices"/>) and the faults injected into it (<see cref="RunReport.Faults"/>). Written by
/// <c>run --schedule-out</c>, <c>replay --schedule-out</c> and <c>explore</c>; <c>replay --schedule</c> reruns it exactly.
/// </summary>
/// <remarks>
/// Unlike a seed, which reproduces a run only through the seeded random strategy and the chaos plan's sampling, a
/// schedule names every choice and every fault, so it reproduces runs that no seed gives (a PCT or DFS schedule)
/// and keeps its faults when the plan is edited. <see cref="Verdict"/> and <see cref="TraceSha256"/> are what the
/// recorded run gave; a replay checks that it gives the same hash.
/// </remarks>
/// <param name="Topology">The topology's name.</param>
/// <param name="Policy">The policy the run used.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Verdict">The recorded run's verdict.</param>
/// <param name="TraceSha256">The recorded run's trace hash.</param>
/// <param name="Choices">The index chosen at every point where several mailboxes were ready.</param>
/// <param name="Faults">The faults injected, in the order they happened.</param>
internal sealed record ScheduleFile(string Topology, string Policy, ulong Seed, string Verdict, string TraceSha256,
    ImmutableArray<int> Choices, ImmutableArray<Fault> Faults)
{
    /// <summary>Version of the file's shape.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The value of the file's <c>kind</c> field, which tells a schedule from a run result.</summary>
    public const string Kind = "leaseactors-schedule";

    /// <summary>The schedule of <paramref name="report"/>.</summary>
    public static ScheduleFile Of(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new ScheduleFile(report.Topology, report.Policy, report.Seed, report.Verdict.Name(), report.TraceSha256, report.Choices, report.Faults);
    }

    /// <summary>The schedule as indented JSON.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", CurrentSchemaVersion);
            writer.WriteString("kind", Kind);
            writer.WriteString("topology", Topology);
            writer.WriteString("policy", Policy);
            writer.WriteNumber("seed", Seed);
            writer.WriteString("verdict", Verdict);
            writer.WriteString("traceSha256", TraceSha256);
            writer.WriteStartArray("faults");
            foreach (var fault in Faults) RunReportJson.WriteFault(writer, fault);
            writer.WriteEndArray();
            // Choices last and on one line, so a run of thousands of choices does not take thousands of lines.
            writer.WritePropertyName("choices");
            writer.WriteRawValue("[" + string.Join(",", Choices) + "]");
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Writes the schedule to <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be written.</exception>
    public void Save(string path) => File.WriteAllText(path, ToJson());

    /// <summary>Reads a schedule file.</summary>
    /// <exception cref="ScheduleFileException">The file cannot be read or is not a schedule; the message names the file and what is wrong.</exception>
    public static ScheduleFile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ScheduleFileException(path, $"cannot read the file ({e.Message})");
        }
        return Parse(text, path);
    }

    /// <summary>Parses a schedule from <paramref name="text"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ScheduleFileException">The text is not a schedule.</exception>
    public static ScheduleFile Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new ScheduleFileException(source, $"not JSON ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ScheduleFileException(source, "expected a JSON object");
            if (Str(root, "kind", source) != Kind) throw new ScheduleFileException(source, $"`kind` is not \"{Kind}\": not a schedule file");
            var version = Int(root, "schemaVersion", source);
            if (version != CurrentSchemaVersion)
                throw new ScheduleFileException(source, $"`schemaVersion` is {version}; this leaseactors reads version {CurrentSchemaVersion}");
            var seed = Get(root, "seed", JsonValueKind.Number, source).TryGetUInt64(out var s)
                ? s : throw new ScheduleFileException(source, "`seed` must be an integer from 0 to 2^64 − 1");
            var choices = ImmutableArray.CreateBuilder<int>();
            var i = 0;
            foreach (var c in Get(root, "choices", JsonValueKind.Array, source).EnumerateArray())
            {
                if (c.ValueKind != JsonValueKind.Number || !c.TryGetInt32(out var choice) || choice < 0)
                    throw new ScheduleFileException(source, $"`choices[{i}]` must be a non-negative integer");
                choices.Add(choice);
                i++;
            }
            var faults = ImmutableArray.CreateBuilder<Fault>();
            i = 0;
            foreach (var f in Get(root, "faults", JsonValueKind.Array, source).EnumerateArray())
            {
                var at = $"faults[{i++}]";
                if (f.ValueKind != JsonValueKind.Object) throw new ScheduleFileException(source, $"`{at}` must be an object");
                double? delay = f.TryGetProperty("delayMs", out var d) && d.ValueKind != JsonValueKind.Null
                    ? (d.ValueKind == JsonValueKind.Number ? d.GetDouble() : throw new ScheduleFileException(source, $"`{at}.delayMs` must be a number or null"))
                    : null;
                var kind = Str(f, "kind", source, at);
                if (kind is not ("delay" or "crash" or "drop")) throw new ScheduleFileException(source, $"`{at}.kind` must be delay, crash or drop (was \"{kind}\")");
                if (kind == "delay" && delay is null) throw new ScheduleFileException(source, $"`{at}.delayMs` is needed for a delay");
                faults.Add(new Fault(kind, Str(f, "point", source, at), Str(f, "owner", source, at), Int(f, "ordinal", source, at), delay, Str(f, "detail", source, at)));
            }
            return new ScheduleFile(Str(root, "topology", source), Str(root, "policy", source), seed, Str(root, "verdict", source),
                Str(root, "traceSha256", source), choices.ToImmutable(), faults.ToImmutable());
        }
    }

    private static JsonElement Get(JsonElement obj, string name, JsonValueKind kind, string source, string? at = null)
    {
        var path = at is null ? name : at + "." + name;
        if (!obj.TryGetProperty(name, out var value)) throw new ScheduleFileException(source, $"`{path}` is missing");
        if (value.ValueKind != kind) throw new ScheduleFileException(source, $"`{path}` must be {Describe(kind)}");
        return value;
    }

    private static string Str(JsonElement obj, string name, string source, string? at = null) =>
        Get(obj, name, JsonValueKind.String, source, at).GetString()!;

    private static int Int(JsonElement obj, string name, string source, string? at = null) =>
        Get(obj, name, JsonValueKind.Number, source, at).TryGetInt32(out var v) && v >= 0
            ? v : throw new ScheduleFileException(source, $"`{(at is null ? name : at + "." + name)}` must be a non-negative integer");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };
}

/// <summary>A schedule file that cannot be read or is not a schedule: bad input, with a one-line message naming the file.</summary>
internal sealed class ScheduleFileException(string source, string problem) : Exception($"{source}: {problem}");
