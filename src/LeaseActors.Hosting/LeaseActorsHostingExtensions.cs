using Akka.Actor;
using Akka.Hosting;
using LeaseActors.RealTime;

namespace LeaseActors.Hosting;

/// <summary>Akka.Hosting integration: <c>services.AddAkka("name", akka =&gt; akka.AddLeaseActors(...))</c>.</summary>
public static class LeaseActorsHostingExtensions
{
    /// <summary>
    /// When the host's actor system starts: starts the event subscribers of <paramref name="configure"/>'s options,
    /// then creates each kernel (in real-time mode, DESIGN.md §2) through <c>system.LeaseActors()</c>, runs the
    /// <see cref="LeaseActorsOptions.OnKernelCreated"/> callbacks on it, and registers its root actor in the
    /// ActorRegistry (the first kernel under <see cref="LeaseActorsKernel"/>, each under its own key if given).
    /// Kernels are created but not started: set them up and call <see cref="RealTimeKernel.Start()"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (checked here, when the host is built).</exception>
    public static AkkaConfigurationBuilder AddLeaseActors(this AkkaConfigurationBuilder builder, Action<LeaseActorsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new LeaseActorsOptions();
        configure?.Invoke(options);
        var kernels = options.Kernels;
        var callbacks = options.KernelCreatedCallbacks;
        var subscribers = options.EventSubscribers;
        return builder.WithActors((system, registry) => Start(system, registry, kernels, callbacks, subscribers));
    }

    private static void Start(ActorSystem system, IActorRegistry registry, IReadOnlyList<KernelRegistration> kernels,
        IReadOnlyList<Action<ActorSystem, RealTimeKernel>> callbacks, IReadOnlyList<EventSubscriberRegistration> subscribers)
    {
        foreach (var s in subscribers)
        {
            var actor = system.ActorOf(s.Props, s.Name);
            system.EventStream.Subscribe(actor, typeof(KernelEvent));
            registry.Register(s.RegistryKey, actor);
        }
        var extension = system.LeaseActors();
        for (var i = 0; i < kernels.Count; i++)
        {
            var kernel = extension.Create(kernels[i].Options);
            foreach (var callback in callbacks) callback(system, kernel);
            if (i == 0) registry.Register<LeaseActorsKernel>(kernel.Ref);
            if (kernels[i].RegistryKey is { } key) registry.Register(key, kernel.Ref);
        }
    }

    private static void Register(this IActorRegistry registry, Type key, IActorRef actor)
    {
        if (!registry.TryRegister(key, actor))
            throw new InvalidOperationException($"the ActorRegistry already holds an actor under {key.Name}");
    }
}
