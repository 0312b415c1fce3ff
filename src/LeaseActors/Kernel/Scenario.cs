using LeaseActors.Internal;
using System.Collections.Immutable;
using Akka.Actor;
using LeaseActors.Simulation;

namespace LeaseActors.Kernel;

/// <summary>
/// Everything a kernel run starts from: settings, files, processes with their programs and signal actions, and
/// socket pairs already connected between processes. Topology files are parsed into this.
/// </summary>
public sealed record Scenario
{
    /// <summary>Kernel settings (sysctls and policies).</summary>
    public KernelOptions Options { get; init; } = new();

    /// <summary>Files to create before any process starts.</summary>
    public ImmutableArray<EmulatedKernel.CreateFile> Files { get; init; } = [];

    /// <summary>Processes, in the order they are created (and started).</summary>
    public ImmutableArray<EmulatedKernel.Spawn> Processes { get; init; } = [];

    /// <summary>Socket pairs with one end in each of two processes.</summary>
    public ImmutableArray<EmulatedKernel.ConnectSocket> Sockets { get; init; } = [];

    /// <summary>
    /// Props of a root actor that creates a kernel for this scenario in <paramref name="run"/>, sets it up, and
    /// starts every process.
    /// </summary>
    public Props RootProps(RunContext run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var scenario = this;
        return PropsOf.Create(() => new ScenarioRoot(scenario, run));
    }

    private sealed class ScenarioRoot : UntypedActor
    {
        public ScenarioRoot(Scenario scenario, RunContext run)
        {
            var kernel = Context.ActorOf(EmulatedKernel.Props(scenario.Options, run.Trace, run.DeriveRandom("kernel")), "kernel");
            foreach (var file in scenario.Files) kernel.Tell(file);
            foreach (var process in scenario.Processes) kernel.Tell(process);
            foreach (var socket in scenario.Sockets) kernel.Tell(socket);
            kernel.Tell(new EmulatedKernel.Start());
        }

        protected override void OnReceive(object message)
        {
            // Acknowledgements of the set-up messages; a refusal means the scenario was not checked, so the run fails.
            if (message is Status.Failure failure) throw new InvalidOperationException("the kernel refused the scenario: " + failure.Cause.Message, failure.Cause);
        }
    }
}
