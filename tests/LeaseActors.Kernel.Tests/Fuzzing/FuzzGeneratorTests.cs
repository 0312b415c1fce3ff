using LeaseActors.Conformance;
using LeaseActors.Conformance.Fuzzing;
using LeaseActors.Conformance.Plans;
using LeaseActors.Topologies;

namespace LeaseActors.Kernel.Tests.Fuzzing;

public sealed class FuzzGeneratorTests
{
    [Fact]
    public void The_same_seed_gives_the_same_topology()
    {
        Assert.Equal(FuzzGenerator.Generate(7).Render(), FuzzGenerator.Generate(7).Render());
        Assert.NotEqual(FuzzGenerator.Generate(7).Render(), FuzzGenerator.Generate(8).Render());
    }

    [Fact]
    public void Every_generated_topology_is_a_bounded_valid_mainline_plan()
    {
        var kinds = new HashSet<string>();
        for (ulong seed = 0; seed < 500; seed++)
        {
            var fuzz = FuzzGenerator.Generate(seed);
            foreach (var a in fuzz.Actions) kinds.Add(a.Step.Split(' ')[0]);
            Assert.InRange(fuzz.Processes.Length, 2, 4);
            Assert.InRange(fuzz.Actions.Length, 1, 11);
            var topology = TopologyParser.Parse(fuzz.Render(), $"fuzz-{seed}.conf");
            _ = ConformancePlan.Create(topology);
        }
        // Every kind of action the generator knows shows up.
        Assert.Superset(new HashSet<string> { "open", "fcntl", "close", "dup", "truncate", "fork", "sendmsg", "recvmsg", "exit" }, kinds);
    }
}

[Collection(RealKernelGroup.Name)]
[Trait("Category", KernelRequirement.Category)]
public sealed class DifferentialFuzzerTests(RunnerFixture fixture)
{
    [KernelFact]
    public void A_few_generated_topologies_agree_with_the_kernel()
    {
        var outcome = new DifferentialFuzzer(fixture.Runner).Run(4, seed: 2026);
        Assert.True(outcome.Counterexample is null, outcome.Counterexample is { } c ? ConformanceSuiteTests.Describe(c) + "\n" + outcome.CounterexampleText : "");
        Assert.Equal(4, outcome.Runs);
    }
}
