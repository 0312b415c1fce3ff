using Akka.Actor;
using LeaseActors.Files;
using LeaseActors.Judging;
using LeaseActors.Kernel;
using LeaseActors.Processes;
using LeaseActors.RealTime;
using LeaseActors.Simulation;
using LeaseActors.Simulation.Tracing;
using LeaseActors.Tracing;

namespace LeaseActors.Cluster.Sharding;

/// <summary>
/// An emulated kernel in real-time mode whose processes, inodes and open file descriptions are Cluster.Sharding
/// entities spread over a cluster's nodes (DESIGN.md §8). Its root (id allocation, namespace, process registry, signal
/// routing, block allocator) and its trace collector run on the node that creates it, its home; every node that hosts
/// its objects must have started <see cref="ShardedKernelNode"/>. Driven like a <see cref="RealTimeKernel"/>.
/// </summary>
/// <remarks>
/// If a node other than the home goes down, its processes die with it: the home runs their exits (their fds close, so
/// leases and pins of descriptions they held last are released) and their pids answer ESRCH. If the home goes down, the
/// kernel is gone. See docs/cluster.md.
/// </remarks>
public sealed class ShardedKernel
{
    private readonly NodeKernel _local;
    private readonly TraceCollector _collector;
    private readonly IActorRef _collectorActor;
    private long _nextRequest;

    private ShardedKernel(ShardedKernelOptions options, NodeKernel local, TraceCollector collector, IActorRef collectorActor, KernelClock clock, IActorRef root)
    {
        Options = options;
        _local = local;
        _collector = collector;
        _collectorActor = collectorActor;
        Clock = clock;
        Ref = root;
    }

    /// <summary>Creates a kernel whose home is <paramref name="system"/> (a cluster member); its time starts at zero now.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static ShardedKernel Create(ActorSystem system, ShardedKernelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        options = (options ?? new ShardedKernelOptions()).Validate();
        var node = ShardedKernelNode.Start(system);
        var collector = new TraceCollector();
        var collectorActor = system.ActorOf(TraceCollectorActor.Props(collector), options.Name + "-trace");
        var origin = DateTime.UtcNow;
        var home = node.Address.ToString();
        var context = new KernelContext(options.Name, home, origin.Ticks, collectorActor, origin, options.TimeScale, options.Kernel.Policy.Name,
            options.Kernel.HandlerFault, options.Kernel.SigPendingLimit);
        var clock = KernelClock.RealTimeSince(system.Scheduler, options.TimeScale, origin);
        var trace = new KernelTrace(null, entry => collectorActor.Tell(TraceRecord.From(home, entry)), clock, null);
        var local = new NodeKernel(node, context, options.Kernel, trace, collector, options.PlaceProcess);
        node.Register(local);
        var props = EmulatedKernel.Props(options.Kernel, trace, new DeterministicRandom(DeterministicRandom.Derive(options.Seed, "kernel")), local.Hosting);
        var root = system.ActorOf(props, options.Name);
        return new ShardedKernel(options, local, collector, collectorActor, clock, root);
    }

    /// <summary>The options the kernel was started with.</summary>
    public ShardedKernelOptions Options { get; }

    /// <summary>The kernel's root actor on its home node (the protocol of <see cref="EmulatedKernel"/>).</summary>
    public IActorRef Ref { get; }

    /// <summary>The kernel's clock on its home node (every node's clock counts from the same origin).</summary>
    public KernelClock Clock { get; }

    /// <summary>Kernel time since the kernel started.</summary>
    public TimeSpan Now => Clock.Now;

    /// <summary>Where each of its entities is hosted so far: entity id → node address (null while being created).</summary>
    public IReadOnlyDictionary<string, Address?> Placements => _local.Placements.ToDictionary(kv => kv.Key, kv => kv.Value.Node, StringComparer.Ordinal);

    /// <summary>How many trace events arrived so far, and from how many nodes.</summary>
    public (int Events, int Nodes) EventCounts => _collector.Counts();

    /// <summary>Creates a file (its lease manager lives on the home node); completes with its inode once it exists.</summary>
    public Task<InodeId> CreateFileAsync(EmulatedKernel.CreateFile file, CancellationToken cancel = default) =>
        KernelRequests.CreateFileAsync(Ref, file, cancel);

    /// <summary>Creates a process on the node <see cref="ShardedKernelOptions.PlaceProcess"/> picks; its program runs from <see cref="Start"/>.</summary>
    public Task<EmulatedProcess> SpawnAsync(EmulatedKernel.Spawn spawn, CancellationToken cancel = default) =>
        KernelRequests.SpawnAsync(Ref, spawn, cancel);

    /// <summary>Connects a unix socket pair between two processes; completes once both ends are installed.</summary>
    public Task ConnectSocketAsync(EmulatedKernel.ConnectSocket socket, CancellationToken cancel = default) =>
        KernelRequests.ConnectSocketAsync(Ref, socket, cancel);

    /// <summary>Completes once every entity placed so far is hosted on its node (its object exists there).</summary>
    public async Task WhenHostedAsync(CancellationToken cancel = default)
    {
        while (_local.Placements.Values.Any(p => p.Node is null)) await Task.Delay(5, cancel).ConfigureAwait(false);
    }

    /// <summary>Starts the programs of every process spawned so far.</summary>
    public void Start() => Ref.Tell(new EmulatedKernel.Start());

    /// <summary>
    /// Runs <paramref name="call"/> on process <paramref name="pid"/>, addressed by its entity id through the process
    /// shard region (not by actor reference). A process that exited, or that was lost with its node, answers ESRCH: an
    /// entity that sharding restarted empty is never taken for the process.
    /// </summary>
    public async Task<SyscallResult> ExecuteAsync(Pid pid, Syscall call, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var entity = ClusterHosting.ProcessEntity(Options.Name, pid.Value);
        if (!_local.Placements.TryGetValue(entity, out var placed)) return SyscallResult.Fail(Errno.ESRCH);
        var id = Interlocked.Increment(ref _nextRequest);
        var envelope = new EntityEnvelope(entity, placed.Shard, _local.Context.Incarnation, new Process.Execute(call, id));
        var executed = await _local.Node.Processes.Ask<Process.Executed>(envelope, cancel).ConfigureAwait(false);
        return executed.Result;
    }

    /// <summary>A copy of the events so far, every node's, in kernel-time order.</summary>
    public IReadOnlyList<TraceEntry> Events() => _collector.Replay(_ => { }).Entries;

    /// <summary>Judges the run so far with the same monitors as a simulated run (call after <see cref="StopAsync"/>).</summary>
    internal RunReport Judge(TimeSpan end, string endedBy, ulong seed, Topologies.Topology topology, string policy)
    {
        RunJudge? judge = null;
        var trace = _collector.Replay(t => judge = new RunJudge(t, Policies.Get(policy)));
        return judge!.Judge(trace, end, endedBy, seed, topology, policy);
    }

    internal (int Alive, bool Started, TimeSpan Last) Activity() => _collector.Activity();

    /// <summary>
    /// Stops the kernel and every entity of it on every node still up (this is the machine going away, not the
    /// processes exiting). Stops taking events first, so teardown adds nothing to the trace.
    /// </summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        _collector.Seal();
        try
        {
            await Ref.GracefulStop(timeout ?? TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TaskCanceledException)
        {
            // Already stopped, or the system is shutting down.
        }
        _collectorActor.Tell(PoisonPill.Instance);
        _local.Node.Forget(_local.Context);
    }
}
