using LeaseActors;
using LeaseActors.Chaos;
using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Signals;
using LeaseActors.Testing;

namespace ProtocolTests;

/// <summary>How the reader reacts to the lease break (SIGIO).</summary>
public enum ReaderVariant
{
    /// <summary>The handler drops the cache, then unlocks: the writer's open cannot return before the cache is gone.</summary>
    DropThenUnlock,

    /// <summary>The handler unlocks, then drops the cache: the writer may write while the cache is still served.</summary>
    UnlockThenDrop,

    /// <summary>The reader ignores SIGIO: the writer waits the lease-break time, then writes under a live cache.</summary>
    IgnoresSignal,
}

/// <summary>
/// A lease-based read cache on the emulated kernel. The reader <c>R</c> opens <c>/data</c>, takes a read lease
/// (<c>leased</c>), fills its cache (a <c>dup</c> of the fd named <c>cache</c>, labelled <c>fill</c>) and serves reads
/// from a server thread every 500 ms (<c>stat</c> steps labelled <c>serve-1</c> … <c>serve-20</c>); its SIGIO handler
/// drops the cache (<c>close cache</c>, labelled <c>drop</c>) and unlocks. The writer <c>W</c> opens the file for
/// writing once the cache is filled and 2 s have passed (that open breaks the lease) and writes (<c>write</c>).
/// </summary>
/// <remarks>
/// The property: no serve that begins after the writer's write returned is answered from a cache filled before it
/// (<see cref="CacheProtocol"/>). The kernel model has no file contents, so the cache is the <c>cache</c> fd and a
/// serve is answered from it exactly when it is entered while the cache is filled — <see cref="TraceQueries.StaleReads"/>
/// reads that off the trace.
/// </remarks>
public static class ReadCache
{
    /// <summary>The property's labels: the writer's write, the reader's fill, drop and serves.</summary>
    public static CacheProtocol Protocol { get; } = new("W", "write");

    /// <summary>
    /// Delays that any real system sees: signals 0–20 ms late (exponential, mean 5 ms), handlers up to 2 s slower, and the
    /// cache drop taking up to 3 s (freeing a large cache). All well below the 45 s lease-break time.
    /// </summary>
    public static ChaosPlan Delays { get; } = new()
    {
        Delays =
        [
            new DelayRule(ChaosPoint.SignalDelivery, new Distribution.Exponential(TimeSpan.FromMilliseconds(5))),
            new DelayRule(ChaosPoint.Handler, new Distribution.Uniform(TimeSpan.Zero, TimeSpan.FromSeconds(2)), Process: "R"),
            new DelayRule(ChaosPoint.Syscall, new Distribution.Uniform(TimeSpan.Zero, TimeSpan.FromSeconds(3)), Process: "R", Step: "drop"),
        ],
    };

    /// <summary>The scenario for <paramref name="variant"/>, with <see cref="Delays"/>.</summary>
    public static ScenarioBuilder Scenario(ReaderVariant variant)
    {
        var serves = new List<Step>();
        for (var i = 1; i <= 20; i++)
        {
            serves.Add(S.Sleep(TimeSpan.FromMilliseconds(500)));
            serves.Add(S.Stat("/data", $"serve-{i}"));
        }
        var builder = new ScenarioBuilder()
            .Named("read-cache-" + variant.ToString().ToLowerInvariant(), $"A lease-based read cache; the reader's SIGIO handling: {variant}.")
            .File("/data")
            .Chaos(Delays)
            .Process("R",
                S.Open("/data", OpenFlags.O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "leased"),
                S.Dup("f", "cache", "fill"),
                S.Thread("server", [.. serves]),
                S.Sleep(TimeSpan.FromSeconds(30)))
            .Process("W",
                S.WaitFor("R", "fill"),
                S.Sleep(TimeSpan.FromSeconds(2)),
                S.Open("/data", OpenFlags.O_WRONLY, "w", "open"),
                S.Write("w", 4096, "write"));
        return variant switch
        {
            ReaderVariant.DropThenUnlock => builder.Handler("R", Sig.SIGIO, TimeSpan.FromMilliseconds(10), S.Close("cache", "drop"), S.Unlock("f", "unlock")),
            ReaderVariant.UnlockThenDrop => builder.Handler("R", Sig.SIGIO, TimeSpan.FromMilliseconds(10), S.Unlock("f", "unlock"), S.Close("cache", "drop")),
            _ => builder.Ignore("R", Sig.SIGIO).LeaseBreakTime(TimeSpan.FromSeconds(5)),
        };
    }
}
