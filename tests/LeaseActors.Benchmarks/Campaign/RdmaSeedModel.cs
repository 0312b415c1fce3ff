namespace LeaseActors.Benchmarks.Campaign;

/// <summary>
/// What the hand-written models of configs/topologies/rdma-seed.conf under mr-holds-lease with
/// configs/chaos/delays.conf (the plain Akka.NET one and the Coyote one) share: the scenario's constants, the
/// delay plan's two distributions sampled from a run's own seed, and the verdict. Neither model has a clock:
/// each wait of the topology is one message, and the virtual milliseconds a run would take are carried as numbers
/// in the messages, so the verdict (clean, or late when the region is torn down after the 45 s deadline) is the
/// one the emulator would give, while a run finishes as fast as its messages go round.
/// </summary>
public static class RdmaSeedModel
{
    /// <summary>sysctl.lease-break-time.</summary>
    public const double LeaseBreakTimeMs = 45_000;

    /// <summary>B's SIGIO handler <c>takes = 5ms</c>.</summary>
    public const double HandlerTakesMs = 5;

    /// <summary>The region's DMA writes before teardown in the undelayed run (1,000/s for 5 ms): one message each.</summary>
    public const int DmaWrites = 5;

    /// <summary>The two delays of delays.conf for one run: signal delivery (exponential, mean 2 ms) and handler (log-normal, mu 3, sigma 3).</summary>
    public static (double SignalMs, double HandlerMs) SampleDelays(Random random)
    {
        var signal = -2.0 * Math.Log(1 - random.NextDouble());
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        var handler = Math.Exp(3.0 + 3.0 * normal);
        return (signal, handler);
    }

    /// <summary>0 clean, 2 late (the verdicts' severities): late when the region is torn down after the break's deadline.</summary>
    public static int Verdict(double unpinnedMs, double deadlineMs) => unpinnedMs <= deadlineMs ? 0 : 2;
}
