using LeaseActors.Processes;
using static LeaseActors.Tests.Kernel.SpecSupport;

namespace LeaseActors.Tests.Kernel;

/// <summary>A scenario's set-up (files, processes, connected sockets) is complete before any program runs.</summary>
public sealed class ScenarioSetupTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    [Fact]
    public void Socket_ends_are_installed_before_any_program_starts_whatever_the_schedule()
    {
        var scenario = new ScenarioBuilder()
            .Process("A", S.Do(new SendMsg("ab", []), "send"))
            .Process("B", S.Do(new RecvMsg("ab", []), "recv"))
            .Socket("ab", "A", "B")
            .Build();

        for (ulong seed = 0; seed < 12; seed++)
        {
            var run = fixture.Run(scenario, seed);
            run.Succeeds("A", "send");
            run.Succeeds("B", "recv");
        }
    }
}
