using Akka.Actor;
using LeaseActors.Files;
using LeaseActors.Kernel;
using LeaseActors.Simulation;
using LeaseActors.Simulation.Tracing;
using LeaseActors.Tracing;

namespace LeaseActors.RealTime;

/// <summary>
/// An emulated kernel running in real-time mode inside a host's own <see cref="ActorSystem"/>: its actors run on the
/// system's ordinary dispatchers and Akka's scheduler, with kernel time <see cref="RealTimeOptions.TimeScale"/> times
/// faster than the wall clock (DESIGN.md §2, §9). Set it up with <see cref="CreateFileAsync"/>,
/// <see cref="SpawnAsync"/> and <see cref="ConnectSocketAsync"/>, call <see cref="Start()"/>, and drive processes
/// with <see cref="EmulatedProcess.ExecuteAsync"/>.
/// </summary>
/// <remarks>
/// Awaiting a syscall's result (Akka's Ask) is for this mode only: inside a simulation, an Ask would leave the
/// driver thread, so simulated hosts send <see cref="Processes.Process.Execute"/> and receive
/// <see cref="Processes.Process.Executed"/> as messages instead. Real-time runs are not deterministic.
/// </remarks>
public sealed class RealTimeKernel
{
    private readonly KernelTrace _kernelTrace;

    private RealTimeKernel(RealTimeOptions options, KernelClock clock, RunTrace? trace, KernelTrace kernelTrace, IActorRef kernel)
    {
        _kernelTrace = kernelTrace;
        Options = options;
        Clock = clock;
        Trace = trace;
        Ref = kernel;
    }

    /// <summary>
    /// Creates a kernel as a top-level actor of <paramref name="system"/> named <see cref="RealTimeOptions.Name"/>.
    /// Its time starts at zero now.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="InvalidActorNameException">The system already has a top-level actor of that name.</exception>
    public static RealTimeKernel Create(ActorSystem system, RealTimeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        options = (options ?? new RealTimeOptions()).Validate();
        var clock = KernelClock.RealTime(system.Scheduler, options.TimeScale);
        var trace = options.RetainTrace ? new RunTrace(() => clock.Now) : null;
        Action<TraceEntry>? publish = null;
        if (options.PublishEvents)
        {
            var stream = system.EventStream;
            var name = options.Name;
            publish = entry => stream.Publish(new KernelEvent(name, entry));
            trace?.Subscribe(publish);
        }
        var kernelTrace = new KernelTrace(trace, publish, clock, options.Log);
        var props = EmulatedKernel.Props(options.Kernel, kernelTrace, new DeterministicRandom(DeterministicRandom.Derive(options.Seed, "kernel")));
        var kernel = system.ActorOf(props, options.Name);
        return new RealTimeKernel(options, clock, trace, kernelTrace, kernel);
    }

    /// <summary>The options the kernel was started with.</summary>
    public RealTimeOptions Options { get; }

    /// <summary>The kernel's name (its actor's name and the <see cref="KernelEvent.Kernel"/> of its events).</summary>
    public string Name => Options.Name;

    /// <summary>The kernel's root actor (the protocol of <see cref="EmulatedKernel"/>).</summary>
    public IActorRef Ref { get; }

    /// <summary>The kernel's clock: kernel time now, and the wall time a kernel delay takes.</summary>
    public KernelClock Clock { get; }

    /// <summary>Kernel time since the kernel started.</summary>
    public TimeSpan Now => Clock.Now;

    /// <summary>
    /// The kernel's trace when <see cref="RealTimeOptions.RetainTrace"/> is set (else null). Its actors add to it from
    /// many threads, so read its entries after <see cref="StopAsync"/> (which seals it) and use <see cref="Events"/>
    /// while the kernel runs. Subscribe a custom monitor with <see cref="RunTrace.Subscribe"/> before
    /// <see cref="Start()"/>: listeners are called one event at a time, in trace order, on the thread of the actor that
    /// recorded it, so they must be quick and must not block.
    /// </summary>
    public RunTrace? Trace { get; }

    /// <summary>A copy of the events so far (empty when the trace is not retained); safe while the kernel runs.</summary>
    public IReadOnlyList<TraceEntry> Events() => _kernelTrace.Snapshot();

    /// <summary>Creates a file; completes with its inode once it exists.</summary>
    /// <exception cref="ArgumentException">(From the task) the path is already in use.</exception>
    public Task<InodeId> CreateFileAsync(EmulatedKernel.CreateFile file, CancellationToken cancel = default) =>
        KernelRequests.CreateFileAsync(Ref, file, cancel);

    /// <summary>Creates a process; its program runs from <see cref="Start()"/>. Completes with a handle to drive it.</summary>
    /// <exception cref="ArgumentException">(From the task) a process of that name exists.</exception>
    public Task<EmulatedProcess> SpawnAsync(EmulatedKernel.Spawn spawn, CancellationToken cancel = default) =>
        KernelRequests.SpawnAsync(Ref, spawn, cancel);

    /// <summary>Connects a unix socket pair between two processes; completes once both ends are installed.</summary>
    /// <exception cref="ArgumentException">(From the task) the name is in use or a process does not exist.</exception>
    public Task ConnectSocketAsync(EmulatedKernel.ConnectSocket socket, CancellationToken cancel = default) =>
        KernelRequests.ConnectSocketAsync(Ref, socket, cancel);

    /// <summary>Changes the lease sysctls; completes once they apply.</summary>
    public Task SetSysctlsAsync(EmulatedKernel.SetSysctls sysctls, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(sysctls);
        return Ref.Ask<EmulatedKernel.SysctlsSet>(sysctls, cancel);
    }

    /// <summary>Starts the programs of every process spawned so far (once every socket asked for is connected).</summary>
    public void Start() => Ref.Tell(new EmulatedKernel.Start());

    /// <summary>
    /// Stops the kernel and every actor of it (processes stop without running their exits: this is the machine
    /// going away, not the processes exiting). Seals the trace first, so teardown adds nothing to it.
    /// </summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        Trace?.Seal();
        try
        {
            await Ref.GracefulStop(timeout ?? TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TaskCanceledException)
        {
            // Already stopped, or the system is shutting down.
        }
    }
}
