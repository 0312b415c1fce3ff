using System.Globalization;
using LeaseActors.Judging;
using LeaseActors.Simulation.Tracing;
using LeaseActors.Topologies;

namespace LeaseActors.Tests.Rdma;

/// <summary>Runs inline RDMA topologies under a chosen policy and queries the judged report and its trace.</summary>
public static class RdmaSupport
{
    /// <summary>The DAX file most specs use: 1 MiB, so 256 blocks of 4 KiB.</summary>
    public const string DaxFile = "files.data { path = /mnt/pmem/data, size = 1MiB, dax = true }";

    public static RunReport RunText(this KernelFixture fixture, string text, string policy, ulong seed = 0) =>
        TopologyRunner.Run(fixture.Driver, TopologyParser.Parse(text, "inline.conf"), policy, seed);

    public static RunReport RunSample(this KernelFixture fixture, string file, string policy, ulong seed = 0) =>
        TopologyRunner.Run(fixture.Driver, TopologyParser.ParseFile(SamplePath(file)), policy, seed);

    public static string SamplePath(string file) => Path.Combine(Repo.Root, "configs", "topologies", file);

    public static IEnumerable<(TimeSpan Time, TraceEvent Event)> Events(this RunReport report, string kind) =>
        report.Trace.Entries.Where(e => e.Event.Kind == kind && e.Event is TraceEvent).Select(e => (e.Time, (TraceEvent)e.Event));

    private static long Num(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    /// <summary>The result of the step labelled <paramref name="label"/> in <paramref name="process"/>, how long it took and when it returned.</summary>
    public static (long Value, string? Errno, TimeSpan Took, TimeSpan At) Step(this RunReport report, string process, string label)
    {
        var exit = report.Events("syscall.exit").LastOrDefault(e => (string?)e.Event["process"] == process && (string?)e.Event["label"] == label);
        Assert.True(exit.Event is not null, $"{process} has no completed step labelled {label}:\n{report.Dump()}");
        var entered = TimeSpan.FromTicks(Num(exit.Event["enteredUs"]) * TimeSpan.TicksPerMicrosecond);
        return (Num(exit.Event["value"]), (string?)exit.Event["errno"], exit.Time - entered, exit.Time);
    }

    public static bool Completed(this RunReport report, string process, string label) =>
        report.Events("syscall.exit").Any(e => (string?)e.Event["process"] == process && (string?)e.Event["label"] == label);

    /// <summary>Signal names that reached <paramref name="process"/>, in order.</summary>
    public static string[] SignalsOf(this RunReport report, string process) =>
        [.. report.Events("signal.delivered").Where(e => (string?)e.Event["process"] == process).Select(e => (string)e.Event["signal"]!)];

    /// <summary>The blocks of every <paramref name="kind"/> event (blocks.freed, blocks.allocated) for <paramref name="path"/>.</summary>
    public static long[] BlocksOf(this RunReport report, string kind, string path) =>
        [.. report.Events(kind).Where(e => (string?)e.Event["path"] == path).SelectMany(e => (IEnumerable<long>)e.Event["blocks"]!)];

    public static string Dump(this RunReport report) =>
        $"verdict {report.Verdict.Name()}; refusals: {string.Join(" | ", report.Refusals)}; violations: {string.Join(" | ", report.Violations)}\n"
        + string.Join("\n", report.Trace.Entries.Select(e => $"{e.Time.TotalMilliseconds,12:F3} {e.Event}"));
}
