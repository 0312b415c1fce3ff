using LeaseActors.Judging;

namespace LeaseActors.Testing.Tests;

public sealed class SeedSweepTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    [Fact]
    public void A_property_that_holds_for_every_seed_passes_and_every_seed_runs_once()
    {
        var sweep = Scenarios.HandlerReleases(TimeSpan.FromMilliseconds(20)).Chaos(Scenarios.SlowHandlers).ForSeeds(0..25).On(fixture);

        sweep.AssertVerdict(Verdict.Clean).AssertEverySeed(r => r.AssertStepSucceeded("B", "breaker"));

        Assert.Equal(25, sweep.Runs().Count);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => (ulong)i), sweep.Runs().Select(r => r.Seed));
        Assert.Equal(25, sweep.VerdictCounts()[Verdict.Clean]);
    }

    [Fact]
    public void The_first_failing_seed_is_named_with_how_many_passed_before_it()
    {
        // Handlers take up to 30 s more under chaos; with a 10 s lease-break time some seeds miss the deadline.
        var sweep = Scenarios.HandlerReleases(TimeSpan.Zero).Chaos(Scenarios.SlowHandlers).LeaseBreakTime(TimeSpan.FromSeconds(10)).ForSeeds(0..50).On(fixture);
        var firstLate = sweep.FirstWhere(r => r.Verdict == Verdict.Late);
        Assert.NotNull(firstLate);

        var failure = Assert.Throws<LeaseActorsAssertionException>(() => sweep.AssertVerdict(Verdict.Clean));

        Assert.Equal(firstLate.Seed, failure.Seed);
        Assert.StartsWith($"seed {firstLate.Seed} fails ({firstLate.Seed} of 50 seeds passed before it): expected verdict clean, got late", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"leaseactors replay handler-releases.conf --seed {firstLate.Seed}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_of_a_plain_assertion_gets_the_run_description_too()
    {
        var sweep = Scenarios.HandlerReleases(TimeSpan.Zero).ForSeeds(new ulong[] { 4 }).On(fixture);
        var failure = Assert.Throws<LeaseActorsAssertionException>(() => sweep.AssertEverySeed(r => Assert.Equal(Verdict.Late, r.Verdict)));
        Assert.Contains("seed 4, policy mainline", failure.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<Xunit.Sdk.XunitException>(failure.InnerException);
    }

    [Fact]
    public void FindFailure_returns_the_first_failing_run_and_fails_when_none_fails()
    {
        var late = Scenarios.HandlerReleases(TimeSpan.Zero).Chaos(Scenarios.SlowHandlers).LeaseBreakTime(TimeSpan.FromSeconds(10)).ForSeeds(0..50).On(fixture);
        var (run, failure) = late.FindFailure(r => r.AssertVerdict(Verdict.Clean));
        Assert.Equal(Verdict.Late, run.Verdict);
        Assert.Equal(run.Seed, ((LeaseActorsAssertionException)failure).Seed);

        var clean = Scenarios.HandlerReleases(TimeSpan.Zero).ForSeeds(0..3).On(fixture);
        var none = Assert.Throws<LeaseActorsAssertionException>(() => clean.FindFailure(r => r.AssertVerdict(Verdict.Clean)));
        Assert.Equal("expected a failing seed among seeds 0…2, but the assertion held for all 3", none.Message);
    }

    [Fact]
    public void A_range_from_the_end_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ScenarioBuilder().ForSeeds(0..^1));
    }
}
