using LeaseActors.Topologies;

namespace LeaseActors.Tests.Topologies;

/// <summary>Every sample under configs/topologies runs and meets its own expectation (never merely "no expectation").</summary>
public sealed class SampleTopologyTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Repo.Root, "configs", "topologies"), "*.conf").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void The_sample_meets_its_expectation(string file)
    {
        var topology = TopologyParser.ParseFile(Path.Combine(Repo.Root, "configs", "topologies", file));
        Assert.False(string.IsNullOrWhiteSpace(topology.Description), $"{file} has no header comment");
        var report = TopologyRunner.Run(fixture.Driver, topology, null, 0);
        Assert.True(report.Expectation.Applicable, $"{file} has no expectation for its policy");
        Assert.True(report.Expectation.Met == true, $"{file}: " + string.Join("; ", report.Expectation.Differences));
    }

    [Fact]
    public void There_are_at_least_eleven_samples() => Assert.True(Samples().Count >= 11);
}
