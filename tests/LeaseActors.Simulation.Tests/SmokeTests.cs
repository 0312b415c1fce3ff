namespace LeaseActors.Simulation.Tests;

public sealed class SmokeTests(SimulationFixture fixture) : IClassFixture<SimulationFixture>
{
    [Fact]
    public void A_ping_pong_runs_to_quiescence_with_its_trace()
    {
        var result = fixture.Driver.Run(new RunOptions { Seed = 1 }, run => TestActors.PingPong(run, 10));
        Assert.Equal(RunEndReason.Quiescence, result.EndedBy);
        Assert.Equal(10, result.Trace.Entries.Count);
        Assert.Empty(result.Leaks);
        Assert.Equal(TimeSpan.Zero, result.VirtualTime);
    }
}
