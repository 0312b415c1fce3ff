using System.Collections.Immutable;
using LeaseActors.Cluster.Sharding;
using LeaseActors.Files;
using LeaseActors.Kernel;
using LeaseActors.Processes;
using LeaseActors.Signals;
using LeaseActors.Simulation.Tracing;
using Xunit.Abstractions;

namespace LeaseActors.Cluster.Tests.Sharding;

/// <summary>
/// A node that goes down takes its processes with it: the kernel's home runs their exits, so a lease held by a lost
/// process is released and a breaker on another node proceeds long before the lease-break deadline; the lost pid then
/// answers ESRCH, by entity id through its shard region and to kill from another process.
/// </summary>
[Trait("Category", "RealTime")]
public sealed class NodeDownTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ClusterNodes _nodes = new();

    public Task InitializeAsync() => _nodes.InitializeAsync();

    public Task DisposeAsync() => _nodes.DisposeAsync();

    [Fact]
    public async Task A_lease_held_by_a_process_on_a_downed_node_is_released_and_the_breaker_on_another_node_proceeds()
    {
        var home = Akka.Cluster.Cluster.Get(_nodes.Systems[0]).SelfAddress;
        var second = Akka.Cluster.Cluster.Get(_nodes.Systems[1]).SelfAddress;
        var doomed = Akka.Cluster.Cluster.Get(_nodes.Systems[2]).SelfAddress;
        // A lease-break time of 10 minutes (12 wall seconds): the break cannot end by its timeout within the test.
        var kernel = ShardedKernel.Create(_nodes.Home, new ShardedKernelOptions
        {
            Name = "downed",
            Kernel = new KernelOptions { LeaseBreakTime = TimeSpan.FromMinutes(10) },
            PlaceProcess = (name, _) => name == "holder" ? doomed : second,
        });
        await kernel.CreateFileAsync(new EmulatedKernel.CreateFile("/data", Size: 4096));
        // The holder ignores SIGIO: only its loss can end the break before the deadline.
        var holder = await kernel.SpawnAsync(new EmulatedKernel.Spawn("holder", [], Actions: ImmutableDictionary<int, SignalAction>.Empty.Add(Sig.SIGIO, SignalAction.Ignore), ExitAtEnd: false));
        var breaker = await kernel.SpawnAsync(new EmulatedKernel.Spawn("breaker", [], ExitAtEnd: false));
        kernel.Start();
        var fd = await holder.ExecuteAsync(new Open("/data", OpenFlags.O_RDONLY, As: "data"));
        Assert.True(fd.Succeeded, "open: " + fd);
        var lease = await holder.ExecuteAsync(new SetLease(FdRef.Named("data"), 0));
        Assert.True(lease.Succeeded, "F_SETLEASE: " + lease);
        Assert.Equal(doomed, kernel.Placements["downed.p" + holder.Pid.Value]);

        var open = breaker.ExecuteAsync(new Open("/data", OpenFlags.O_RDWR));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!kernel.Events().Any(e => e.Event.Kind == "breaker.blocked")) await Task.Delay(10, timeout.Token);
        Assert.False(open.IsCompleted);
        Assert.Equal(second, kernel.Placements["downed.p" + breaker.Pid.Value]);

        Akka.Cluster.Cluster.Get(_nodes.Home).Down(doomed);
        await _nodes.Systems[2].WhenTerminated.WaitAsync(timeout.Token);
        var opened = await open.WaitAsync(timeout.Token);

        var events = kernel.Events();
        foreach (var e in events) output.WriteLine($"{e.Time.TotalMilliseconds,10:0} {e.Event}");
        Assert.True(opened.Succeeded, opened.ToString());
        var blocked = events.Single(e => e.Event.Kind == "breaker.blocked").Time;
        var unblocked = events.Single(e => e.Event.Kind == "breaker.unblocked").Time;
        Assert.True(unblocked - blocked < TimeSpan.FromMinutes(10), $"the breaker waited {unblocked - blocked}");
        Assert.Contains(events, e => e.Event.Kind == "process.lost" && Field(e, "process") == "holder");
        Assert.Contains(events, e => e.Event.Kind == "fd.closed" && Field(e, "process") == "holder" && Field(e, "via") == "node-down");
        Assert.Contains(events, e => e.Event.Kind == "lease.removed");
        Assert.Contains(events, e => e.Event.Kind == "process.exited" && Field(e, "process") == "holder");

        // The lost pid is not revived: sharding starts its entity anew elsewhere, and that entity is not the process.
        var direct = await kernel.ExecuteAsync(holder.Pid, new Open("/data", OpenFlags.O_RDONLY)).WaitAsync(timeout.Token);
        Assert.Equal(Errno.ESRCH, direct.Errno);
        var viaHandle = await holder.ExecuteAsync(new Open("/data", OpenFlags.O_RDONLY), timeout.Token);
        Assert.Equal(Errno.ESRCH, viaHandle.Errno);
        var kill = await breaker.ExecuteAsync(new Kill(ProcessRef.Of(holder.Pid.Value), Sig.SIGTERM), timeout.Token);
        Assert.Equal(Errno.ESRCH, kill.Errno);
        await kernel.StopAsync();
    }

    private static string? Field(TraceEntry e, string name) => (e.Event as TraceEvent)?[name] as string;
}
