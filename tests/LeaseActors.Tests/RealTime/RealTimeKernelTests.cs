using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using LeaseActors.Files;
using LeaseActors.Kernel;
using LeaseActors.Processes;
using LeaseActors.RealTime;
using LeaseActors.Signals;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Tests.RealTime;

/// <summary>The embedding API in real-time mode: a host's own ActorSystem, syscalls awaited with Ask, events on the event stream.</summary>
[Trait("Category", "RealTime")]
public sealed class RealTimeKernelTests : TestKit
{
    public RealTimeKernelTests() : base("akka.loglevel = WARNING")
    {
    }

    private static ImmutableDictionary<int, SignalAction> UnlockOnSigio() =>
        ImmutableDictionary<int, SignalAction>.Empty.Add(Sig.SIGIO,
            new SignalAction.Handle(new SignalHandler(TimeSpan.FromSeconds(2), [new CallStep(new SetLease(FdRef.Named("data"), 2))])));

    [Fact]
    public async Task A_host_drives_processes_with_awaited_syscalls_and_a_break_resolves_in_scaled_time()
    {
        // A long lease-break time (12 wall seconds at the default scale), so the break can only end by the handler's unlock.
        var kernel = RealTimeKernel.Create(Sys, new RealTimeOptions { Kernel = new KernelOptions { LeaseBreakTime = TimeSpan.FromMinutes(10) } });
        await kernel.CreateFileAsync(new EmulatedKernel.CreateFile("/data", Size: 4096));
        var holder = await kernel.SpawnAsync(new EmulatedKernel.Spawn("holder", [], Actions: UnlockOnSigio(), ExitAtEnd: false));
        var breaker = await kernel.SpawnAsync(new EmulatedKernel.Spawn("breaker", [], ExitAtEnd: false));
        kernel.Start();

        var fd = await holder.ExecuteAsync(new Open("/data", OpenFlags.O_RDONLY, As: "data"));
        Assert.True(fd.Succeeded, fd.ToString());
        Assert.True((await holder.ExecuteAsync(new SetLease(FdRef.Named("data"), 0))).Succeeded);

        var before = kernel.Now;
        var opened = await breaker.ExecuteAsync(new Open("/data", OpenFlags.O_WRONLY));
        var blocked = kernel.Now - before;

        Assert.True(opened.Succeeded, opened.ToString());
        var events = kernel.Events();
        // The holder's handler takes 2 kernel seconds (40 wall ms) before it unlocks; the breaker waits at least that,
        // and its open returns because the holder removed the lease, not because the break timed out.
        Assert.True(blocked >= TimeSpan.FromSeconds(2), $"blocked {blocked}");
        Assert.Contains(events, e => e.Event.Kind == "lease.removed" && e.Event is TraceEvent t && t["reason"] as string == "Holder");
        var handlerStart = events.Single(e => e.Event.Kind == "handler.start").Time;
        var unlock = events.Single(e => e.Event.Kind == "syscall.enter" && e.Event is TraceEvent t && t["name"] as string == "fcntl(F_SETLEASE)" && t["args"] as string == "data F_UNLCK").Time;
        Assert.True(unlock - handlerStart >= TimeSpan.FromSeconds(2), $"the handler unlocked after {unlock - handlerStart}");
        Assert.Equal(RealTimeOptions.DefaultTimeScale, kernel.Clock.Scale);
        await kernel.StopAsync();
    }

    [Fact]
    public async Task Trace_events_are_published_on_the_event_stream_in_trace_order()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(KernelEvent));
        var kernel = RealTimeKernel.Create(Sys, new RealTimeOptions { Name = "published", RetainTrace = false });
        Assert.Null(kernel.Trace);
        await kernel.CreateFileAsync(new EmulatedKernel.CreateFile("/f", Size: 4096));
        var p = await kernel.SpawnAsync(new EmulatedKernel.Spawn("p", [new CallStep(new Open("/f", OpenFlags.O_RDONLY))]));
        kernel.Start();

        var events = new List<KernelEvent>();
        while (events.Count == 0 || events[^1].Entry.Event.Kind != "process.exited")
            events.Add(probe.ExpectMsg<KernelEvent>(TimeSpan.FromSeconds(10)));
        Assert.All(events, e => Assert.Equal("published", e.Kernel));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Entry.Index));
        Assert.Equal("process.created", events[0].Entry.Event.Kind);
        Assert.Contains(events, e => e.Entry.Event.Kind == "syscall.exit" && ((TraceEvent)e.Entry.Event)["name"] as string == "open");
        Assert.Equal("p", p.Name);
        await kernel.StopAsync();
    }

    [Fact]
    public async Task A_refused_set_up_request_fails_its_task_and_the_kernel_keeps_its_processes()
    {
        var kernel = RealTimeKernel.Create(Sys, new RealTimeOptions { Name = "refusing" });
        await kernel.CreateFileAsync(new EmulatedKernel.CreateFile("/f"));
        var p = await kernel.SpawnAsync(new EmulatedKernel.Spawn("p", [], ExitAtEnd: false));
        kernel.Start();

        var twice = await Assert.ThrowsAsync<ArgumentException>(() => kernel.SpawnAsync(new EmulatedKernel.Spawn("p", [])));
        Assert.Contains("process p is defined twice", twice.Message, StringComparison.Ordinal);
        var file = await Assert.ThrowsAsync<ArgumentException>(() => kernel.CreateFileAsync(new EmulatedKernel.CreateFile("/f")));
        Assert.Contains("file /f is defined twice", file.Message, StringComparison.Ordinal);
        var socket = await Assert.ThrowsAsync<ArgumentException>(() => kernel.ConnectSocketAsync(new EmulatedKernel.ConnectSocket("s", "p", "nobody")));
        Assert.Contains("no process nobody", socket.Message, StringComparison.Ordinal);

        // The kernel was not restarted: p and its fd table are still there.
        Assert.True((await p.ExecuteAsync(new Open("/f", OpenFlags.O_RDONLY, As: "fd"))).Succeeded);
        Assert.True((await p.ExecuteAsync(new Close(FdRef.Named("fd")))).Succeeded);
        Assert.Equal(Errno.EBADF, (await p.ExecuteAsync(new Close(FdRef.Named("fd")))).Errno);
        await kernel.StopAsync();
    }

    [Fact]
    public void Bad_options_are_refused_with_the_name_of_the_bad_value()
    {
        Assert.Contains("TimeScale", Assert.Throws<ArgumentException>(() => RealTimeKernel.Create(Sys, new RealTimeOptions { TimeScale = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("Name", Assert.Throws<ArgumentException>(() => RealTimeKernel.Create(Sys, new RealTimeOptions { Name = "a/b" })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelClock.RealTime(Sys.Scheduler, double.NaN));
    }

    [Fact]
    public void The_clock_scales_kernel_delays_to_wall_delays()
    {
        var clock = KernelClock.RealTime(Sys.Scheduler, 50);
        Assert.Equal(TimeSpan.FromMilliseconds(20), clock.ToScheduler(TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromMilliseconds(900), clock.ToScheduler(TimeSpan.FromSeconds(45)));
        Assert.Equal(TimeSpan.Zero, clock.ToScheduler(TimeSpan.Zero));
    }
}
