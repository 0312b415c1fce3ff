using System.Collections.Immutable;
using LeaseActors.Conformance.Observation;
using LeaseActors.Conformance.Plans;
using LeaseActors.Topologies;

namespace LeaseActors.Kernel.Tests.Observation;

public sealed class NormalizerTests
{
    private static readonly ConformancePlan Plan = ConformancePlan.Create(TopologyParser.Parse("""
        sysctl.lease-break-time = 1s
        files.data { path = /d }
        processes {
          A.program = [
            { open = data, as = f, label = open }
            { dup = f, as = f2, label = dup }
            { fcntl = F_SETLEASE, fd = f2, arg = F_WRLCK, label = lease }
            { fcntl = F_GETOWN, fd = f, label = owner }
          ]
          A.handlers.SIGIO = { steps = [ { fcntl = F_SETLEASE, fd = f, arg = F_UNLCK, label = release } ] }
          B.program = [ { open = data, flags = [O_RDWR], label = writer } ]
        }
        """, "n.conf"));

    private static string L(string process, string label) => Plan.Steps.Single(s => s.Process == process && s.UserLabel == label).Label;

    private static RawTrace Trace(long writerEnterUs, long writerExitUs, long? releaseAtUs, params RawSignal[] signals)
    {
        var steps = new List<RawStep>
        {
            new("A", L("A", "open"), 2, 0, 10, 5, null, [5]) { ExitSeq = 3 },
            new("A", L("A", "dup"), 4, 10, 20, 6, null, [6]) { ExitSeq = 5 },
            new("A", L("A", "lease"), 6, 20, 30, 0, null, [0]) { ExitSeq = 7 },
            new("A", L("A", "owner"), 8, 30, 40, 4242, null, [4242]) { ExitSeq = 9 },
            new("B", L("B", "writer"), 10, writerEnterUs, writerExitUs, 3, null, [3]) { ExitSeq = 30 },
        };
        if (releaseAtUs is { } r) steps.Add(new("A", L("A", "release"), 20, r - 10, r, 0, null, [0]) { ExitSeq = 21 });
        return new RawTrace
        {
            Executor = "test",
            Processes = [new RawProcess("A", 4242, null, 0), new RawProcess("B", 4243, null, 1)],
            Steps = [.. steps],
            Signals = [.. signals],
            LeaseBreakTime = TimeSpan.FromSeconds(1),
        };
    }

    private static string Value(ObservedTrace t, string keySuffix) => t.Observations.Single(o => o.Key.EndsWith(keySuffix, StringComparison.Ordinal)).Value;

    [Theory]
    [InlineData(100_000, 140_000, null, WaitClass.Immediate)]
    [InlineData(100_000, 1_120_000, null, WaitClass.LeaseBreakTime)]
    [InlineData(100_000, 500_000, 480_000L, "until A.release")]
    [InlineData(100_000, 700_000, null, WaitClass.Other)]
    public void A_blocking_wait_falls_in_its_class(long enterUs, long exitUs, long? releaseUs, string expected)
    {
        var observed = Normalizer.Normalize(Plan, Trace(enterUs, exitUs, releaseUs));
        Assert.Equal(expected, Value(observed, L("B", "writer") + "|wait"));
    }

    [Fact]
    public void Owners_are_named_by_process_and_fd_numbers_are_not_compared()
    {
        var observed = Normalizer.Normalize(Plan, Trace(0, 10, null));
        Assert.Equal("A", Value(observed, L("A", "owner")));
        Assert.Equal("ok", Value(observed, L("A", "open")));
    }

    [Fact]
    public void A_signal_si_fd_is_named_by_the_receiver_fd_name_at_the_time()
    {
        var observed = Normalizer.Normalize(Plan, Trace(0, 10, null,
            new RawSignal("A", 12, 50, 35, Signals.Sig.POLL_MSG, 6, false) { Band = 0x441 },
            new RawSignal("A", 13, 60, 29, Signals.Sig.SI_KERNEL, 0, false)));
        Assert.Equal("[SIGRTMIN+1(POLL_MSG,fd=f2,band=0x441), SIGIO(SI_KERNEL)]", Value(observed, "A|signals"));
    }

    [Fact]
    public void Two_other_waits_agree_within_the_tolerance_and_not_beyond()
    {
        var a = Normalizer.Normalize(Plan, Trace(100_000, 700_000, null));
        var b = Normalizer.Normalize(Plan, Trace(100_000, 780_000, null));
        var c = Normalizer.Normalize(Plan, Trace(100_000, 860_000, null) with { });
        Assert.True(Comparison.Of(a, b, TimeSpan.FromSeconds(1)).Agrees);
        var ac = Comparison.Of(a, c, TimeSpan.FromSeconds(1));
        Assert.False(ac.Agrees, string.Join("\n", ac.Rows.Select(r => $"{r.Key} {r.EmulatorText} {r.KernelText}")));
    }

    [Fact]
    public void A_missing_row_on_one_side_is_a_difference()
    {
        var full = Normalizer.Normalize(Plan, Trace(0, 10, null));
        var fewer = full with { Observations = full.Observations.RemoveAt(0) };
        var comparison = Comparison.Of(full, fewer, TimeSpan.FromSeconds(1));
        Assert.False(comparison.Agrees);
        Assert.Null(Assert.Single(comparison.Differences).Kernel);
    }

    [Fact]
    public void The_tolerance_is_150_ms_or_15_percent_of_the_lease_break_time()
    {
        Assert.Equal(150, WaitClass.ToleranceMs(TimeSpan.FromSeconds(1)));
        Assert.Equal(6750, WaitClass.ToleranceMs(TimeSpan.FromSeconds(45)));
    }

    private static ImmutableArray<RawSignal> None => [];
}
