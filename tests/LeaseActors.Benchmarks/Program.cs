using BenchmarkDotNet.Running;
using LeaseActors.Benchmarks.Harness;

namespace LeaseActors.Benchmarks;

/// <summary>
/// Runs the benchmarks through BenchmarkDotNet's switcher (<c>--filter '*Engine*'</c>, <c>--job dry|short</c>, …),
/// or, with <c>--harness</c> as the first argument, the quick Stopwatch harness (see <see cref="QuickHarness"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // The campaign modes measure what `leaseactors chaos` does, which starts itself again with the campaign GC budget
        // (LeaseActors.Campaigns.CampaignProcess); LEASEACTORS_GC_TUNING=off measures them with the runtime's own budget.
        if (args.Length > 0 && args[0] is "--campaign" or "--campaign-profile" or "--campaign-memory"
            && LeaseActors.Campaigns.CampaignProcess.RelaunchWithCampaignBudget(args) is { } exit)
            return exit;
        if (args.Length > 0 && args[0] == "--harness") return QuickHarness.Run(args[1..]);
        if (args.Length > 0 && args[0] == "--campaign") return Campaign.CampaignBench.Run(args[1..]);
        if (args.Length > 0 && args[0] == "--campaign-profile") return Campaign.CampaignProfile.Run(args[1..]);
        if (args.Length > 0 && args[0] == "--campaign-alloc") return Campaign.AllocationSampler.Run(args[1..]);
        if (args.Length > 0 && args[0] == "--campaign-memory") return Campaign.CampaignMemory.Run(args[1..]);
        if (args.Length > 0 && args[0] == "--campaign-memory-one") return Campaign.CampaignMemory.RunOne(args[1..]);
        if (args.Length > 0 && args[0] == "--cluster-throughput") return ClusterBench.ClusterThroughput.Run(args[1..]);
        if (args.Length > 0 && args[0] == "--scale-cycles") return Scale.ScaleCycles.Run(args[1..]);
        if (args.Length > 0 && args[0] == "--scale-cycles-one") return Scale.ScaleCycles.RunOne(args[1..]);
        if (args.Length > 0 && args[0] == "--scale-idle") return Scale.ScaleIdle.Run(args[1..]);
        if (args.Length > 0 && args[0] == "--scale-idle-one") return Scale.ScaleIdle.RunOne(args[1..]);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
