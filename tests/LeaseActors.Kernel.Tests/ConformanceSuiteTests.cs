using LeaseActors.Conformance;
using LeaseActors.Topologies;

namespace LeaseActors.Kernel.Tests;

/// <summary>Every topology of configs/conformance agrees with the machine's kernel (SEMANTICS §4 R1–R41, §5).</summary>
[Collection(RealKernelGroup.Name)]
[Trait("Category", KernelRequirement.Category)]
public sealed class ConformanceSuiteTests(RunnerFixture fixture)
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Repo.ConformanceFolder, "*.conf").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    [KernelTheory]
    [MemberData(nameof(Cases))]
    public void Conformance_case_agrees_with_the_kernel(string file)
    {
        var topology = TopologyParser.ParseFile(Path.Combine(Repo.ConformanceFolder, file));
        var result = fixture.Runner.Run(topology);
        // Wall-clock noise is absorbed by the wait classes; a disagreement must repeat before it counts.
        if (!result.Agrees) result = fixture.Runner.Run(topology);
        Assert.True(result.Agrees, Describe(result));
    }

    internal static string Describe(CaseResult result) =>
        $"{result.Name} differs from the kernel:\n" + string.Join("\n", result.Comparison.Differences.Select(d => $"  {d.Title}: emulator {d.EmulatorText}, kernel {d.KernelText}"));
}

/// <summary>The suite's coverage of SEMANTICS.md (pure; no kernel).</summary>
public sealed class ConformanceCoverageTests
{
    // The MAINLINE statements of SEMANTICS §4 that run on a kernel (R43 and R44 need FS-DAX and RDMA hardware).
    private static readonly int[] Mainline = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 20, 21, 22, 23, 25, 26, 27, 28, 30, 31, 32, 33, 34, 36, 37, 38, 40, 41];

    [Fact]
    public void Every_mainline_statement_has_a_conformance_case()
    {
        var names = Directory.GetFiles(Repo.ConformanceFolder, "*.conf").Select(Path.GetFileName).ToArray();
        var missing = Mainline.Where(r => !names.Any(n => n!.StartsWith($"R{r:00}", StringComparison.Ordinal))).ToArray();
        Assert.Empty(missing);
    }

    [Fact]
    public void The_suite_has_at_least_forty_cases_and_every_one_parses_as_a_mainline_plan()
    {
        var files = Directory.GetFiles(Repo.ConformanceFolder, "*.conf");
        Assert.True(files.Length >= 40, $"only {files.Length} cases");
        foreach (var file in files)
        {
            var topology = TopologyParser.ParseFile(file);
            Assert.Equal(TimeSpan.Zero, TimeSpan.FromTicks(topology.Scenario.Options.LeaseBreakTime.Ticks % TimeSpan.TicksPerSecond));
            Assert.True(topology.Scenario.Options.LeaseBreakTime <= TimeSpan.FromSeconds(1), $"{file}: the suite runs with lease-break-time 1 s (or 0)");
            _ = Conformance.Plans.ConformancePlan.Create(topology);
        }
    }
}
