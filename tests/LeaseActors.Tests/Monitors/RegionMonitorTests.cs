using System.Globalization;
using LeaseActors.Judging;
using LeaseActors.Tests.Rdma;
using LeaseActors.Topologies;

namespace LeaseActors.Tests.Monitors;

/// <summary>
/// Issue 5 point 5: the verdict and the slack are computed from the run, never looked up. Moving one handler's handling
/// time across the deadline flips the verdict, and the break's slack moves by exactly as many milliseconds as the
/// handling time did.
/// </summary>
public sealed class RegionMonitorTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private const double BaselineMs = 44_990;

    private RunReport HandlerTaking(double takesMs, string policy)
    {
        var text = File.ReadAllText(RdmaSupport.SamplePath("rdma-handler-in-time.conf"));
        const string Original = "takes = 10ms";
        Assert.Contains(Original, text, StringComparison.Ordinal);
        text = text.Replace(Original, "takes = " + takesMs.ToString(CultureInfo.InvariantCulture) + "ms", StringComparison.Ordinal);
        return TopologyRunner.Run(fixture.Driver, TopologyParser.Parse(text, "rdma-handler-in-time.conf"), policy, 0);
    }

    public static TheoryData<string, double, Verdict> Cases()
    {
        var data = new TheoryData<string, double, Verdict>();
        // Past the deadline the lease is removed by the timeout with the region still registered: late, or a
        // violation where every pin holder must hold a live layout lease (lease-per-holder, block-close).
        foreach (var (policy, over) in new[]
                 {
                     ("rfc-v1", Verdict.Late), ("mr-holds-lease", Verdict.Late), ("deny-pass", Verdict.Late),
                     ("lease-per-holder", Verdict.Violation), ("block-close", Verdict.Violation),
                 })
        {
            data.Add(policy, 10, Verdict.Clean);
            data.Add(policy, 44_000, Verdict.Clean);
            data.Add(policy, 44_999, Verdict.Clean);
            data.Add(policy, 45_001, over);
            data.Add(policy, 45_010, over);
            data.Add(policy, 50_000, over);
        }
        data.Add("revoke-kill", 44_999, Verdict.Clean);
        data.Add("revoke-kill", 45_010, Verdict.Killed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Moving_the_handlers_time_across_the_deadline_flips_the_verdict_and_moves_the_slack_by_the_same_milliseconds(string policy, double takesMs, Verdict expected)
    {
        var baseline = HandlerTaking(BaselineMs, policy);
        var moved = HandlerTaking(takesMs, policy);

        Assert.Equal(Verdict.Clean, baseline.Verdict);
        Assert.True(expected == moved.Verdict, $"{policy}, handler takes {takesMs} ms: {moved.Dump()}");
        var before = Assert.Single(baseline.Breaks);
        var after = Assert.Single(moved.Breaks);
        Assert.Equal(before.StartMs, after.StartMs);
        Assert.Equal(before.DeadlineMs, after.DeadlineMs);
        Assert.NotNull(before.SlackMs);
        if (expected == Verdict.Killed)
        {
            // The owner is killed at the deadline: its exit tears the region down there, so the slack is 0, not −10.
            Assert.Equal(0, after.SlackMs);
            return;
        }
        Assert.NotNull(after.SlackMs);
        Assert.Equal(-(takesMs - BaselineMs), after.SlackMs!.Value - before.SlackMs!.Value, 6);
        Assert.Equal(after.DeadlineMs!.Value - after.StartMs - takesMs, after.SlackMs!.Value, 6);
        Assert.Equal(expected != Verdict.Clean, after.SlackMs < 0);
        Assert.Equal(expected != Verdict.Clean, after.IsLate(moved.VirtualTimeMs));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(1000)]
    public void Each_millisecond_the_handler_takes_longer_is_one_millisecond_less_slack(double deltaMs)
    {
        var a = Assert.Single(HandlerTaking(BaselineMs - deltaMs, "rfc-v1").Breaks).SlackMs!.Value;
        var b = Assert.Single(HandlerTaking(BaselineMs, "rfc-v1").Breaks).SlackMs!.Value;

        Assert.Equal(deltaMs, a - b, 6);
    }

    [Fact]
    public void A_break_records_its_holders_who_was_told_who_pins_and_when_the_region_went()
    {
        var report = HandlerTaking(BaselineMs, "rfc-v1");

        var brk = Assert.Single(report.Breaks);
        Assert.Equal(["A"], brk.LeaseHolders.ToArray());
        Assert.Equal(["A"], brk.Notified.ToArray());
        Assert.Equal(["A"], brk.PinHolders.ToArray());
        Assert.Equal(brk.StartMs + BaselineMs, brk.RegionsTornDownMs);
        Assert.Equal(brk.StartMs + BaselineMs, brk.ReleasedMs);
        Assert.Equal("Holder", brk.ReleasedBy);
        var region = Assert.Single(report.Regions);
        Assert.Equal(brk.RegionsTornDownMs, region.TornDownMs);
    }
}
