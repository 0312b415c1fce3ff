using System.Collections.Immutable;
using LeaseActors.Conformance.Observation;
using LeaseActors.Conformance.Plans;
using LeaseActors.Monitors;
using LeaseActors.Simulation;
using LeaseActors.Simulation.Tracing;
using LeaseActors.Topologies;

namespace LeaseActors.Conformance.Emulated;

/// <summary>
/// Runs a plan's topology on the emulator (mainline policy, one seed) and reads the <see cref="RawTrace"/> off the
/// run's trace events: <c>process.created</c>, <c>syscall.enter</c>/<c>syscall.exit</c>, <c>signal.delivered</c>
/// (handled or fatal; ignored and lost signals are not observable on a real kernel) and <c>process.exited</c>.
/// </summary>
public sealed class EmulatorExecutor : IDisposable
{
    private static readonly Akka.Configuration.Config Quiet = Akka.Configuration.ConfigurationFactory.ParseString("""
        akka.loglevel = OFF
        akka.stdout-loglevel = OFF
        akka.log-config-on-start = off
        akka.log-dead-letters = off
        """);

    private readonly Akka.Actor.ActorSystem _system;
    private readonly SimulationDriver _driver;

    /// <summary>Creates an actor system and a simulation driver for the executor's runs.</summary>
    public EmulatorExecutor()
    {
        _system = SimulationSetup.CreateSystem("conformance", Quiet);
        _driver = new SimulationDriver(_system);
    }

    /// <summary>Runs <paramref name="plan"/> once with <paramref name="seed"/>.</summary>
    public RawTrace Run(ConformancePlan plan, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var topology = plan.Topology with { Expectations = ImmutableDictionary<string, Expectation>.Empty };
        var report = TopologyRunner.Run(_driver, topology, "mainline", seed);
        return FromTrace(report.Trace, topology.Scenario.Options.LeaseBreakTime, (long)(report.VirtualTimeMs * 1000));
    }

    /// <summary>Reads a raw trace from an emulator run's <paramref name="trace"/>.</summary>
    public static RawTrace FromTrace(RunTrace trace, TimeSpan leaseBreakTime, long endUs)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var processes = new List<RawProcess>();
        var steps = new List<RawStep>();
        var signals = new List<RawSignal>();
        var exits = new List<RawExit>();
        var open = new Dictionary<(string, long), (long Seq, long EnterUs, string Label)>();
        // A program's call returns to user space only after the handlers of the signals pending at its return have
        // run (Linux delivers them on the way out of the syscall); the worker's clock sees that later return, so
        // the program step's observed return is moved to the end of the handlers that start right at it.
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        var resumes = new Dictionary<string, (int Step, long AtUs)>(StringComparer.Ordinal);
        var inProgram = new Dictionary<string, (string Process, long Call)>(StringComparer.Ordinal); // P's program call in progress
        var signalledDuring = new HashSet<(string, long)>();
        foreach (var entry in trace.Entries)
        {
            if (entry.Event is not TraceEvent e) continue;
            var us = entry.Time.Ticks / TimeSpan.TicksPerMicrosecond;
            var seq = entry.Index;
            switch (e.Kind)
            {
                case "process.created":
                    processes.Add(new RawProcess(e.Str("process"), (int)e.Number("pid"), e["parent"] as string, seq));
                    break;
                case "syscall.enter" when e["label"] is string label:
                    open[(e.Str("process"), e.Number("call"))] = (seq, us, label);
                    if (depth.GetValueOrDefault(e.Str("process")) == 0)
                    {
                        resumes.Remove(e.Str("process"));
                        inProgram[e.Str("process")] = (e.Str("process"), e.Number("call"));
                    }
                    break;
                case "signal.sent":
                    // Only a signal raised while the program's call was in the kernel is delivered on its way out.
                    if (inProgram.TryGetValue(e.Str("to"), out var during)) signalledDuring.Add(during);
                    break;
                case "syscall.exit":
                    if (!open.Remove((e.Str("process"), e.Number("call")), out var entered)) break;
                    var values = e["values"] is ImmutableArray<long> v ? v : [e.Number("value")];
                    steps.Add(new RawStep(e.Str("process"), entered.Label, entered.Seq, entered.EnterUs, us, e.Number("value"), e["errno"] as string, values) { ExitSeq = seq });
                    if (depth.GetValueOrDefault(e.Str("process")) == 0 && inProgram.Remove(e.Str("process"), out var call)
                        && signalledDuring.Remove(call) && call.Call == e.Number("call"))
                        resumes[e.Str("process")] = (steps.Count - 1, us);
                    break;
                case "handler.start":
                    if (depth.GetValueOrDefault(e.Str("process")) == 0 && resumes.TryGetValue(e.Str("process"), out var r) && r.AtUs != us)
                        resumes.Remove(e.Str("process")); // a handler that starts later (in a sleep) is not part of the return
                    depth[e.Str("process")] = depth.GetValueOrDefault(e.Str("process")) + 1;
                    break;
                case "handler.end":
                    depth[e.Str("process")] = Math.Max(0, depth.GetValueOrDefault(e.Str("process")) - 1);
                    if (depth[e.Str("process")] == 0 && resumes.TryGetValue(e.Str("process"), out var back))
                    {
                        steps[back.Step] = steps[back.Step] with { ExitUs = us };
                        resumes[e.Str("process")] = (back.Step, us);
                    }
                    break;
                case "signal.delivered":
                    var action = e.Str("action");
                    var signo = Signals.Sig.Parse(e.Str("signal")) ?? 0;
                    if (action == "handler")
                        signals.Add(new RawSignal(e.Str("process"), seq, us, signo, (int)e.Number("code"), (int)e.Number("fd"), false) { Band = e.Number("band") });
                    else if (action is "terminated" or "killed")
                        signals.Add(new RawSignal(e.Str("process"), seq, us, signo, (int)e.Number("code"), (int)e.Number("fd"), true));
                    break;
                case "process.exited":
                    var sig = e["signal"] is string s ? Signals.Sig.Parse(s) : null;
                    exits.Add(new RawExit(e.Str("process"), us, (int)e.Number("status"), sig, false));
                    break;
            }
        }
        foreach (var ((process, _), entered) in open)
            steps.Add(new RawStep(process, entered.Label, entered.Seq, entered.EnterUs, null, 0, null, []) { ExitSeq = entered.Seq });
        return new RawTrace
        {
            Executor = "emulator",
            Processes = [.. processes],
            Steps = [.. steps.OrderBy(s => s.Seq)],
            Signals = [.. signals],
            Exits = [.. exits],
            EndUs = endUs,
            LeaseBreakTime = leaseBreakTime,
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _driver.Dispose();
        _system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }
}
