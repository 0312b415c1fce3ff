using LeaseActors.Judging;
using LeaseActors.Testing;
using LeaseActors.Topologies;
using Xunit.Abstractions;

namespace ProtocolTests;

/// <summary>The read cache's property under seeded schedules and delays: it holds when the handler drops before it unlocks, and the tests find the seeds where the broken variants serve stale data.</summary>
public sealed class ReadCacheTests(KernelFixture fixture, ITestOutputHelper output) : IClassFixture<KernelFixture>
{
    [Fact]
    public void Dropping_the_cache_before_unlocking_never_serves_a_stale_read_in_200_seeds()
    {
        var sweep = ReadCache.Scenario(ReaderVariant.DropThenUnlock).ForSeeds(0..200).On(fixture);

        sweep.AssertEverySeed(run => run
            .AssertNoStaleReads(ReadCache.Protocol)
            .AssertVerdict(Verdict.Clean)
            .AssertStepSucceeded("W", "write")
            .AssertSignals("R", "SIGIO"));

        // The delays did vary: the writer's open waited for handlers of different lengths.
        var waits = sweep.Runs().Select(r => r.Trace.Step("W", "open").Took).Distinct().Count();
        Assert.True(waits > 100, $"only {waits} distinct waits in 200 seeds");
        output.WriteLine($"200 seeds, all clean; the writer's open waited {sweep.Runs().Min(r => r.Trace.Step("W", "open").Took)}–{sweep.Runs().Max(r => r.Trace.Step("W", "open").Took)}");
    }

    [Fact]
    public void Unlocking_before_dropping_the_cache_is_caught_and_the_failing_seed_is_printed()
    {
        var sweep = ReadCache.Scenario(ReaderVariant.UnlockThenDrop).ForSeeds(0..200).On(fixture);

        var (run, failure) = sweep.FindFailure(r => r.AssertNoStaleReads(ReadCache.Protocol));

        output.WriteLine(failure.Message);
        Assert.IsType<LeaseActorsAssertionException>(failure);
        Assert.Contains($"seed {run.Seed}, policy mainline", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"leaseactors replay read-cache-unlockthendrop.conf --seed {run.Seed}", failure.Message, StringComparison.Ordinal);
        // The kernel saw nothing wrong (the lease was released in time): only the protocol's property catches it.
        Assert.Equal(Verdict.Clean, run.Verdict);
        // The seed is the whole story: running it again gives the same stale read.
        var again = ReadCache.Scenario(ReaderVariant.UnlockThenDrop).Simulate(run.Seed, fixture);
        Assert.Equal(run.Trace.StaleReads(ReadCache.Protocol), again.Trace.StaleReads(ReadCache.Protocol));
        // So is the printed topology: parsed and run like `leaseactors replay FILE --seed S`, it gives the same trace.
        var replayed = TopologyRunner.Run(fixture.Driver, TopologyParser.Parse(run.TopologyText, "read-cache-unlockthendrop.conf"), null, run.Seed);
        Assert.Equal(run.Report.TraceSha256, replayed.TraceSha256);
        var stale = sweep.Runs().Count(r => r.Trace.StaleReads(ReadCache.Protocol).Count > 0);
        output.WriteLine($"{stale} of 200 seeds serve stale data");
    }

    [Fact]
    public void A_reader_that_ignores_the_signal_serves_stale_data_after_the_break_times_out()
    {
        var run = ReadCache.Scenario(ReaderVariant.IgnoresSignal).Simulate(0, fixture);

        var failure = Assert.Throws<LeaseActorsAssertionException>(() => run.AssertNoStaleReads(ReadCache.Protocol));
        output.WriteLine(failure.Message);
        // The writer waited the whole 5 s lease-break time; the kernel judges the break late.
        Assert.Equal(TimeSpan.FromSeconds(5), run.Trace.Step("W", "open").Took);
        Assert.Equal(Verdict.Late, run.Verdict);
    }
}
