using System.Collections.Immutable;
using Akka.Actor;
using LeaseActors.Kernel;
using LeaseActors.Processes;
using LeaseActors.Simulation;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Tests;

/// <summary>
/// What the test itself does to a running kernel, at given virtual times: syscalls sent from outside through
/// <see cref="Process.Execute"/> (the embedding API) and sysctl changes (<c>/proc/sys/fs/…</c> written by an admin).
/// </summary>
public sealed record Script
{
    /// <summary>The actions, in the order they were added.</summary>
    public ImmutableArray<ScriptAction> Actions { get; init; } = [];

    /// <summary>At <paramref name="at"/>, sends <paramref name="call"/> to <paramref name="process"/>; the answer is recorded as <c>test.executed</c> with <paramref name="tag"/>.</summary>
    public Script Execute(TimeSpan at, string process, Syscall call, string tag) => this with { Actions = Actions.Add(new ScriptAction.Execute(at, process, call, tag)) };

    /// <summary>At <paramref name="at"/>, changes the lease sysctls.</summary>
    public Script Sysctls(TimeSpan at, TimeSpan? leaseBreakTime = null, bool? leasesEnable = null) =>
        this with { Actions = Actions.Add(new ScriptAction.Sysctls(at, new EmulatedKernel.SetSysctls(leaseBreakTime, leasesEnable))) };
}

/// <summary>One thing a <see cref="Script"/> does.</summary>
public abstract record ScriptAction(TimeSpan At)
{
    /// <summary>A syscall through <see cref="Process.Execute"/>.</summary>
    public sealed record Execute(TimeSpan At, string Process, Syscall Call, string Tag) : ScriptAction(At);

    /// <summary>A sysctl change.</summary>
    public sealed record Sysctls(TimeSpan At, EmulatedKernel.SetSysctls Change) : ScriptAction(At);
}

/// <summary>Runs a scenario together with a <see cref="Script"/>.</summary>
public static class ScriptedKernel
{
    /// <summary>Runs <paramref name="scenario"/> while the root actor plays <paramref name="script"/>.</summary>
    public static TraceView Run(this KernelFixture fixture, Scenario scenario, Script script, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var result = fixture.Driver.Run(new RunOptions { Seed = seed }, run => Props.Create(() => new ScriptedRoot(scenario, script, run)));
        Assert.Empty(result.Failures);
        return new TraceView(result);
    }

    /// <summary>
    /// The root of a scripted run: sets a kernel up like <see cref="Scenario.RootProps"/>, then, once every process
    /// exists, plays the script on virtual-time timers and records each <see cref="Process.Executed"/> answer in the trace.
    /// </summary>
    private sealed class ScriptedRoot : ReceiveActor, IWithTimers
    {
        private readonly Dictionary<string, IActorRef> _processes = new(StringComparer.Ordinal);

        private sealed record Fire(int Index);

        public ScriptedRoot(Scenario scenario, Script script, RunContext run)
        {
            var kernel = Context.ActorOf(EmulatedKernel.Props(scenario.Options, run.Trace, run.DeriveRandom("kernel")), "kernel");
            foreach (var file in scenario.Files) kernel.Tell(file);
            foreach (var process in scenario.Processes) kernel.Tell(process);
            foreach (var socket in scenario.Sockets) kernel.Tell(socket);
            kernel.Tell(new EmulatedKernel.Start());

            Receive<EmulatedKernel.Spawned>(m =>
            {
                _processes[m.Name] = m.Process;
                if (_processes.Count < scenario.Processes.Length) return;
                for (var i = 0; i < script.Actions.Length; i++)
                    Timers.StartSingleTimer("action-" + i, new Fire(i), script.Actions[i].At);
            });
            Receive<Fire>(m =>
            {
                switch (script.Actions[m.Index])
                {
                    case ScriptAction.Execute e:
                        _processes[e.Process].Tell(new Process.Execute(e.Call, m.Index));
                        break;
                    case ScriptAction.Sysctls s:
                        kernel.Tell(s.Change);
                        run.Trace.Record(new TraceEvent("test.sysctls", ("leaseBreakTime", s.Change.LeaseBreakTime), ("leasesEnable", s.Change.LeasesEnable)));
                        break;
                }
            });
            Receive<Process.Executed>(m =>
            {
                var action = (ScriptAction.Execute)script.Actions[(int)m.RequestId];
                run.Trace.Record(new TraceEvent("test.executed", ("tag", action.Tag), ("process", action.Process), ("value", m.Result.Value),
                    ("errno", m.Result.Succeeded ? null : m.Result.Errno.ToString()), ("values", m.Result.Values)));
            });
            ReceiveAny(_ => { }); // other set-up acknowledgements
        }

        public ITimerScheduler Timers { get; set; } = null!;
    }
}
