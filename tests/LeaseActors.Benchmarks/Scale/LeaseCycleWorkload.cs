using System.Collections.Immutable;
using System.Globalization;
using Akka.Actor;
using LeaseActors.Kernel;
using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Signals;
using LeaseActors.Simulation;

namespace LeaseActors.Benchmarks.Scale;

/// <summary>
/// The lease / break cycle workload of the scale benchmark (<c>--scale-cycles</c>), built with the embedding API:
/// <c>Files</c> files, each with one holder process and <c>Breakers</c> breaker processes that break the holder's
/// read lease in turn, <c>Rounds</c> times each.
/// </summary>
/// <remarks>
/// <para>
/// Holder <c>h{f}</c> opens <c>/f{f}</c> read-only, then for each cycle <c>i</c> takes a read lease (label
/// <c>lease-i</c>) and waits until breaker <c>i mod Breakers</c> has closed the file (<c>done-i</c>). Its SIGIO handler
/// (1 ms) unlocks the lease. Breaker <c>b{f}.{j}</c>, for each of its cycles, waits for <c>lease-i</c>, opens the file
/// for writing — which breaks the lease, signals the holder and blocks — and, once the handler's unlock lets the open
/// return, closes it (<c>done-i</c>). Every cycle thus goes break → SIGIO → handler → <c>F_UNLCK</c> → the breaker's
/// open returns → close → the next lease. Every process exits when its program ends.
/// </para>
/// <para>
/// Syscalls per file: 1 open by the holder, and per cycle four (the holder's <c>F_SETLEASE</c>, the breaker's open and
/// close, the handler's <c>F_UNLCK</c>): <see cref="Syscalls"/>. This file is also compiled into
/// tests/LeaseActors.Tests (its smoke test runs a 1,000-process version).
/// </para>
/// </remarks>
internal sealed record LeaseCycleWorkload(int Files, int Breakers, int Rounds)
{
    /// <summary>How long the holder's SIGIO handler takes before it unlocks.</summary>
    public static readonly TimeSpan HandlerTakes = TimeSpan.FromMilliseconds(1);

    /// <summary>The workload with <paramref name="processes"/> processes spread over <paramref name="files"/> files (one holder per file, the rest breakers).</summary>
    public static LeaseCycleWorkload For(int processes, int files, int rounds)
    {
        if (files <= 0 || processes < 2 * files || processes % files != 0)
            throw new ArgumentException($"--processes ({processes}) must be a multiple of --files ({files}) and at least twice it (one holder and at least one breaker per file).");
        if (rounds <= 0) throw new ArgumentException($"--rounds must be positive, was {rounds}.");
        return new LeaseCycleWorkload(files, processes / files - 1, rounds);
    }

    public int Processes => Files * (Breakers + 1);

    /// <summary>Break cycles of the whole run.</summary>
    public long Cycles => (long)Files * Breakers * Rounds;

    /// <summary>Syscalls of the whole run (see the remarks).</summary>
    public long Syscalls => Files + 4 * Cycles;

    /// <summary>The scenario: files first, then each file's holder and its breakers.</summary>
    public Scenario Scenario()
    {
        var files = ImmutableArray.CreateBuilder<EmulatedKernel.CreateFile>(Files);
        var processes = ImmutableArray.CreateBuilder<EmulatedKernel.Spawn>(Processes);
        var holderActions = ImmutableDictionary<int, SignalAction>.Empty.Add(Sig.SIGIO,
            new SignalAction.Handle(new SignalHandler(HandlerTakes, [new CallStep(new SetLease("f", (int)LeaseType.F_UNLCK))])));
        // The labels are the same strings in every file's programs.
        var cycles = Breakers * Rounds;
        var leaseLabels = Enumerable.Range(0, cycles).Select(i => "lease-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var doneLabels = Enumerable.Range(0, cycles).Select(i => "done-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        for (var f = 0; f < Files; f++)
        {
            var path = "/f" + f.ToString(CultureInfo.InvariantCulture);
            var holder = "h" + f.ToString(CultureInfo.InvariantCulture);
            var breakers = Enumerable.Range(0, Breakers).Select(j => "b" + f.ToString(CultureInfo.InvariantCulture) + "." + j.ToString(CultureInfo.InvariantCulture)).ToArray();
            files.Add(new EmulatedKernel.CreateFile(path, Size: 4096));
            var holderProgram = ImmutableArray.CreateBuilder<Step>(1 + 2 * cycles);
            holderProgram.Add(new CallStep(new Open(path, OpenFlags.O_RDONLY, "f")));
            for (var i = 0; i < cycles; i++)
            {
                holderProgram.Add(new CallStep(new SetLease("f", (int)LeaseType.F_RDLCK)) { Label = leaseLabels[i] });
                holderProgram.Add(new WaitForStep(breakers[i % Breakers], doneLabels[i]));
            }
            processes.Add(new EmulatedKernel.Spawn(holder, holderProgram.MoveToImmutable(), Actions: holderActions));
            var open = new CallStep(new Open(path, OpenFlags.O_WRONLY, "w"));
            for (var j = 0; j < Breakers; j++)
            {
                var program = ImmutableArray.CreateBuilder<Step>(3 * Rounds);
                for (var r = 0; r < Rounds; r++)
                {
                    var i = r * Breakers + j;
                    program.Add(new WaitForStep(holder, leaseLabels[i]));
                    program.Add(open);
                    program.Add(new CallStep(new Close("w")) { Label = doneLabels[i] });
                }
                processes.Add(new EmulatedKernel.Spawn(breakers[j], program.MoveToImmutable()));
            }
        }
        return new Scenario { Files = files.MoveToImmutable(), Processes = processes.MoveToImmutable() };
    }

    /// <summary>
    /// Props of a run's root that creates a kernel for <paramref name="scenario"/>, recording into the run's trace when
    /// <paramref name="traced"/> (as <see cref="LeaseActors.Kernel.Scenario.RootProps"/> does) or into no trace at all.
    /// </summary>
    public static Props Root(Scenario scenario, RunContext run, bool traced)
    {
        var trace = traced ? run.Trace : null;
        var random = run.DeriveRandom("kernel");
        return Props.Create(() => new KernelRoot(scenario, trace, random));
    }

    private sealed class KernelRoot : UntypedActor
    {
        public KernelRoot(Scenario scenario, Simulation.Tracing.RunTrace? trace, DeterministicRandom random)
        {
            var kernel = Context.ActorOf(EmulatedKernel.Props(scenario.Options, trace, random), "kernel");
            foreach (var file in scenario.Files) kernel.Tell(file);
            foreach (var process in scenario.Processes) kernel.Tell(process);
            kernel.Tell(new EmulatedKernel.Start());
        }

        protected override void OnReceive(object message)
        {
            // Acknowledgements of the set-up messages; nothing to do.
        }
    }
}
