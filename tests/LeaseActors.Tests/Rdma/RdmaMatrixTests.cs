using LeaseActors.Judging;
using LeaseActors.Topologies;

namespace LeaseActors.Tests.Rdma;

/// <summary>
/// Every rdma-*.conf sample under every policy its expect block keys (SampleTopologyTests runs each sample under its
/// own policy only), and the matrix as a whole shows every verdict of DESIGN.md §4.
/// </summary>
public sealed class RdmaMatrixTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private static IEnumerable<string> RdmaSamples() =>
        Directory.GetFiles(Path.Combine(Repo.Root, "configs", "topologies"), "rdma-*.conf")
            .Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static TheoryData<string, string> Cells()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in RdmaSamples())
            foreach (var policy in Policies.Implemented)
                data.Add(file!, policy);
        return data;
    }

    [Fact]
    public void There_are_at_least_eight_rdma_samples_each_keyed_for_all_eleven_policies()
    {
        var samples = RdmaSamples().ToList();
        Assert.True(samples.Count >= 8, string.Join(", ", samples));
        Assert.Equal(11, Policies.Implemented.Count);
        foreach (var file in samples)
        {
            var topology = TopologyParser.ParseFile(RdmaSupport.SamplePath(file));
            var keyed = topology.Expectations.Keys.Where(k => k != Expectation.Unkeyed).Order(StringComparer.Ordinal);
            Assert.Equal(Policies.Implemented.Order(StringComparer.Ordinal), keyed);
        }
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void The_sample_meets_its_expectation_under_the_policy(string file, string policy)
    {
        var topology = TopologyParser.ParseFile(RdmaSupport.SamplePath(file));
        var report = TopologyRunner.Run(fixture.Driver, topology, policy, 0);

        Assert.True(report.Expectation.Applicable, $"{file} has no expectation for {policy}");
        Assert.True(report.Expectation.Met == true, $"{file} under {policy}: " + string.Join("; ", report.Expectation.Differences));
        Assert.Equal(topology.ExpectationFor(policy)!.Verdict, report.Verdict.Name());
    }

    [Fact]
    public void Every_verdict_of_DESIGN_section_4_appears_in_at_least_one_cell()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in RdmaSamples())
        {
            var topology = TopologyParser.ParseFile(RdmaSupport.SamplePath(file!));
            foreach (var policy in Policies.Implemented)
                seen.Add(TopologyRunner.Run(fixture.Driver, topology, policy, 0).Verdict.Name());
        }

        Assert.Equal(["clean", "refused", "late", "killed", "violation", "hang", "corruption"], VerdictNames.All);
        Assert.Equal(VerdictNames.All.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }
}
