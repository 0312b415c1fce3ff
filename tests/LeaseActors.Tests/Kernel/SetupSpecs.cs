using LeaseActors.Processes;
using static LeaseActors.OpenFlags;

namespace LeaseActors.Tests.Kernel;

/// <summary>How a scenario's kernel is set up before any program runs.</summary>
public sealed class SetupSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    [Fact]
    public void Programs_start_only_after_their_socket_ends_are_installed_under_every_schedule()
    {
        // The first step of both programs uses the socket; any schedule that started a program before its end was
        // installed would answer EBADF.
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Do(new SendMsg("ab", []), "send"),
                S.Open("/data", O_RDONLY, "f"),
                S.Do(new SendMsg("ab", ["f"]), "send-fd"))
            .Process("B",
                S.Do(new RecvMsg("ab", []), "recv"),
                S.Do(new RecvMsg("ab", ["g"]), "recv-fd"))
            .Socket("ab", "A", "B")
            .Build();

        for (ulong seed = 0; seed < 32; seed++)
        {
            var run = fixture.Run(scenario, seed);
            foreach (var (process, label) in new[] { ("A", "send"), ("A", "send-fd"), ("B", "recv"), ("B", "recv-fd") })
                Assert.True(run.Step(process, label).Errno is null, $"seed {seed}: {process} {label} {run.Step(process, label)}");
        }
    }
}
