using LeaseActors.Leases;
using LeaseActors.Signals;

namespace LeaseActors.Testing.Tests;

public sealed class StaleReadTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private static readonly CacheProtocol Cache = new("W", "write");

    /// <summary>R caches under a read lease and serves at 1 s intervals; W opens for write at 2 s (the break) and writes.</summary>
    private static ScenarioBuilder ReadCache(bool dropsInHandler) => new ScenarioBuilder()
        .LeaseBreakTime(TimeSpan.FromSeconds(3))
        .File("/data")
        .Process("R",
            S.Open("/data", OpenFlags.O_RDONLY, "f"),
            S.Lease("f", LeaseType.F_RDLCK, "leased"),
            S.Label("fill"),
            S.Sleep(TimeSpan.FromSeconds(1)), S.Stat("/data", "serve-1"),
            S.Sleep(TimeSpan.FromSeconds(9)), S.Stat("/data", "serve-2"))
        .Handler("R", Sig.SIGIO, TimeSpan.Zero, dropsInHandler ? [S.Label("drop"), S.Unlock("f")] : [])
        .Process("W",
            S.WaitFor("R", "serve-1"),
            S.Open("/data", OpenFlags.O_WRONLY, "w"),
            S.Write("w", 1, "write"));

    [Fact]
    public void A_reader_that_drops_its_cache_before_unlocking_serves_no_stale_read()
    {
        var run = ReadCache(dropsInHandler: true).Simulate(0, fixture);
        Assert.Empty(run.Trace.StaleReads(Cache));
        run.AssertNoStaleReads(Cache);
    }

    [Fact]
    public void A_reader_that_keeps_its_cache_serves_a_stale_read_after_the_break_times_out()
    {
        var run = ReadCache(dropsInHandler: false).Simulate(0, fixture);

        var stale = Assert.Single(run.Trace.StaleReads(Cache));
        Assert.Equal(("R", "serve-2"), (stale.Reader, stale.Serve));
        Assert.True(stale.WriteReturnedAt < stale.ServedAt);
        var failure = Assert.Throws<LeaseActorsAssertionException>(() => run.AssertNoStaleReads(Cache));
        Assert.StartsWith("1 stale read(s): R.serve-2 at", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cache_protocol_labels_default_to_fill_drop_and_serve()
    {
        Assert.Equal(("fill", "drop", "serve"), (Cache.Fill, Cache.Drop, Cache.ServePrefix));
    }
}
