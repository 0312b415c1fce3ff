using System.Collections.Immutable;
using Akka.Actor;
using Akka.Hosting;
using LeaseActors.Judging;
using LeaseActors.Kernel;
using LeaseActors.Processes;
using LeaseActors.RealTime;
using LeaseActors.Signals;
using LeaseActors.Simulation.Tracing;
using LeaseActors.Topologies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeaseActors.Hosting.Tests;

/// <summary>AddLeaseActors in a real generic host: kernels start with the host's ActorSystem, are found by name and in the ActorRegistry, and run a lease break with awaited syscalls.</summary>
[Trait("Category", "RealTime")]
public sealed class AddLeaseActorsTests
{
    /// <summary>A policy of the test's own: mainline, except that "take a layout lease" needs no lease and succeeds.</summary>
    private static readonly KernelPolicy NoLayoutLeaseNeeded = KernelPolicies.Mainline with
    {
        Name = "mainline-layout-not-needed",
        Summary = "Mainline, but the policy-neutral layout lease step succeeds without taking anything.",
        Citation = "AddLeaseActorsTests (a custom policy)",
        LayoutLease = LayoutLeaseMapping.NotNeeded,
    };

    private static ImmutableDictionary<int, SignalAction> UnlockOnSigio(TimeSpan takes) =>
        ImmutableDictionary<int, SignalAction>.Empty.Add(Sig.SIGIO, new SignalAction.Handle(new SignalHandler(takes, [new CallStep(new SetLease(FdRef.Named("f"), 2))])));

    private static async Task<IHost> StartHost(Action<LeaseActorsOptions> configure)
    {
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("hosting-tests", akka => akka
                .AddHocon("akka.loglevel = WARNING", HoconAddMode.Prepend)
                .AddLeaseActors(configure)))
            .Build();
        await host.StartAsync();
        return host;
    }

    [Fact]
    public async Task A_hosted_kernel_runs_a_lease_break_with_awaited_syscalls_and_publishes_its_events()
    {
        var breaks = 0;
        RunJudge? judge = null;
        using var host = await StartHost(o => o
            .AddKernel("lab", k => k with { Kernel = new KernelOptions { LeaseBreakTime = TimeSpan.FromMinutes(10), Policy = NoLayoutLeaseNeeded } })
            .OnKernelCreated((_, kernel) =>
            {
                // Custom monitors on the trace: a counter of lease breaks, and the standard judge under the custom policy.
                kernel.Trace!.Subscribe(entry => { if (entry.Event.Kind == "lease.break") Interlocked.Increment(ref breaks); });
                judge = new RunJudge(kernel.Trace, kernel.Options.Kernel.Policy);
            })
            .AddEventSubscriber<EventCollectorKey>("collector", Props.Create(() => new EventCollector())));
        var system = host.Services.GetRequiredService<ActorSystem>();
        var registry = host.Services.GetRequiredService<ActorRegistry>();

        var kernel = system.LeaseActors().Get("lab");
        Assert.Equal(kernel.Ref, await registry.GetAsync<LeaseActorsKernel>());
        Assert.Equal(kernel.Ref, host.Services.GetRequiredService<IRequiredActor<LeaseActorsKernel>>().ActorRef);
        Assert.Same(NoLayoutLeaseNeeded, kernel.Options.Kernel.Policy);

        await kernel.CreateFileAsync(new EmulatedKernel.CreateFile("/data", Size: 4096));
        var holder = await kernel.SpawnAsync(new EmulatedKernel.Spawn("holder", [], Actions: UnlockOnSigio(TimeSpan.FromSeconds(1)), ExitAtEnd: false));
        var writer = await kernel.SpawnAsync(new EmulatedKernel.Spawn("writer", [], ExitAtEnd: false));
        kernel.Start();

        Assert.True((await holder.ExecuteAsync(new Open("/data", OpenFlags.O_RDONLY, As: "f"))).Succeeded);
        Assert.True((await holder.ExecuteAsync(new SetLease(FdRef.Named("f"), 0))).Succeeded);
        // The custom policy is in force: mainline would answer EINVAL.
        var layout = await holder.ExecuteAsync(new TakeLayoutLease(FdRef.Named("f")));
        Assert.True(layout.Succeeded, layout.ToString());
        var opened = await writer.ExecuteAsync(new Open("/data", OpenFlags.O_WRONLY, As: "w"));
        Assert.True(opened.Succeeded, opened.ToString());
        Assert.True((await writer.ExecuteAsync(new Write(FdRef.Named("w"), 10))).Succeeded);

        // Events reach the subscriber actor through the event stream, in trace order.
        var collector = await registry.GetAsync<EventCollectorKey>();
        KernelEvent[] seen = [];
        for (var i = 0; i < 100 && !seen.Any(e => IsWriteExit(e.Entry)); i++)
        {
            seen = await collector.Ask<KernelEvent[]>(new EventCollector.GetEvents(), TimeSpan.FromSeconds(5));
            if (!seen.Any(e => IsWriteExit(e.Entry))) await Task.Delay(20);
        }
        Assert.Contains(seen, e => IsWriteExit(e.Entry));
        Assert.All(seen, e => Assert.Equal("lab", e.Kernel));
        Assert.Equal(Enumerable.Range(0, seen.Length), seen.Select(e => e.Entry.Index));
        Assert.Contains(seen, e => e.Entry.Event.Kind == "lease.removed" && ((TraceEvent)e.Entry.Event)["reason"] as string == "Holder");

        await kernel.StopAsync();
        Assert.Equal(1, breaks);
        var topology = new Topology { Name = "hosted", Source = "(test)", Scenario = new Scenario() };
        var report = judge!.Judge(kernel.Trace!, kernel.Now, "stopped", 0, topology, NoLayoutLeaseNeeded.Name);
        Assert.Equal(Verdict.Clean, report.Verdict);
        Assert.Equal("mainline-layout-not-needed", report.Policy);
        var only = Assert.Single(report.Breaks);
        Assert.Equal("Holder", only.ReleasedBy); // released by its holder, not by the timeout
        await host.StopAsync();
    }

    private static bool IsWriteExit(TraceEntry entry) =>
        entry.Event is TraceEvent { Kind: "syscall.exit" } e && e["name"] as string == "write";

    [Fact]
    public async Task Without_options_one_kernel_named_kernel_starts_and_several_kernels_are_kept_by_name()
    {
        using (var host = await StartHost(_ => { }))
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            var kernel = system.LeaseActors().Get();
            Assert.Equal("kernel", kernel.Name);
            Assert.Equal(RealTimeOptions.DefaultTimeScale, kernel.Clock.Scale);
            Assert.Single(system.LeaseActors().Kernels);
            await host.StopAsync();
        }

        using (var host = await StartHost(o => o.AddKernel("a").AddKernel("b", k => k with { TimeScale = 10 }, typeof(SecondKernel))))
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            var registry = host.Services.GetRequiredService<ActorRegistry>();
            Assert.Equal(["a", "b"], system.LeaseActors().Kernels.Select(k => k.Name).Order());
            Assert.Equal(system.LeaseActors().Get("a").Ref, registry.Get<LeaseActorsKernel>());
            Assert.Equal(system.LeaseActors().Get("b").Ref, registry.Get<SecondKernel>());
            Assert.Equal(10, system.LeaseActors().Get("b").Clock.Scale);
            var missing = Assert.Throws<KeyNotFoundException>(() => system.LeaseActors().Get("c"));
            Assert.Contains("registered: a, b", missing.Message, StringComparison.Ordinal);
            Assert.True(await system.LeaseActors().StopAsync("b"));
            Assert.False(system.LeaseActors().TryGet("b", out _));
            await host.StopAsync();
        }
    }

    [Fact]
    public void Two_kernels_of_one_name_are_refused_when_the_options_are_built()
    {
        var options = new LeaseActorsOptions().AddKernel("a");
        var e = Assert.Throws<ArgumentException>(() => options.AddKernel("a"));
        Assert.Contains("'a' was already added", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new LeaseActorsOptions().AddKernel("not a valid/name"));
    }

    [Fact]
    public void The_options_default_to_one_kernel_with_the_real_time_defaults_and_nothing_else()
    {
        var options = new LeaseActorsOptions();
        var only = Assert.Single(options.Kernels);
        Assert.Equal(new RealTimeOptions(), only.Options);
        Assert.Null(only.RegistryKey);
        Assert.Empty(options.KernelCreatedCallbacks);
        Assert.Empty(options.EventSubscribers);
    }

    private sealed class SecondKernel;
}
