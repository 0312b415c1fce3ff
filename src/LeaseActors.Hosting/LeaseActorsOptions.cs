using System.Collections.Immutable;
using Akka.Actor;
using LeaseActors.RealTime;

namespace LeaseActors.Hosting;

/// <summary>
/// What <see cref="LeaseActorsHostingExtensions.AddLeaseActors"/> starts with the host's actor system: the real-time
/// kernels (default: one named <c>kernel</c> with <see cref="RealTimeOptions"/>' defaults), what to attach to each
/// before it runs (monitors), and actors that watch every kernel's events on the event stream.
/// </summary>
/// <example>
/// <code>
/// services.AddAkka("emulation", akka => akka.AddLeaseActors(o => o
///     .AddKernel("lab", k => k with { Kernel = new KernelOptions { Policy = myPolicy }, TimeScale = 100 })
///     .OnKernelCreated((system, kernel) => kernel.Trace?.Subscribe(myMonitor.Observe))
///     .AddEventSubscriber&lt;MyWatcher&gt;("watcher", Props.Create(() => new MyWatcher()))));
/// </code>
/// </example>
public sealed class LeaseActorsOptions
{
    private readonly List<KernelRegistration> _kernels = [];
    private readonly List<Action<ActorSystem, RealTimeKernel>> _onCreated = [];
    private readonly List<EventSubscriberRegistration> _subscribers = [];

    /// <summary>
    /// Adds a kernel named <paramref name="name"/> (a valid actor name, unique in the system), with options changed by
    /// <paramref name="configure"/> from <see cref="RealTimeOptions"/>' defaults. The first kernel added is also the
    /// one registered under <see cref="LeaseActorsKernel"/> in the ActorRegistry; <paramref name="registryKey"/>
    /// registers this one under a key type of yours as well (for <c>IRequiredActor&lt;TKey&gt;</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The name is taken by another kernel of these options, or an option is invalid.</exception>
    public LeaseActorsOptions AddKernel(string name, Func<RealTimeOptions, RealTimeOptions>? configure = null, Type? registryKey = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = new RealTimeOptions { Name = name };
        if (configure is not null) options = configure(options) with { Name = name };
        return AddKernel(options, registryKey);
    }

    /// <summary>Adds a kernel with <paramref name="options"/> (named <see cref="RealTimeOptions.Name"/>); see the other overload.</summary>
    /// <exception cref="ArgumentException">The name is taken by another kernel of these options, or an option is invalid.</exception>
    public LeaseActorsOptions AddKernel(RealTimeOptions options, Type? registryKey = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (_kernels.Any(k => k.Options.Name == options.Name)) throw new ArgumentException($"a kernel named '{options.Name}' was already added", nameof(options));
        _kernels.Add(new KernelRegistration(options, registryKey));
        return this;
    }

    /// <summary>
    /// Calls <paramref name="action"/> for each kernel right after it is created, before anything runs on it: the
    /// place to attach a custom monitor to <see cref="RealTimeKernel.Trace"/> (listeners see every event in trace order)
    /// or to set files and processes up.
    /// </summary>
    public LeaseActorsOptions OnKernelCreated(Action<ActorSystem, RealTimeKernel> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _onCreated.Add(action);
        return this;
    }

    /// <summary>
    /// Starts a top-level actor named <paramref name="name"/> from <paramref name="props"/> before any kernel, subscribes
    /// it to <see cref="KernelEvent"/> on the event stream (the events of every kernel that publishes them), and
    /// registers it in the ActorRegistry under <typeparamref name="TKey"/>.
    /// </summary>
    public LeaseActorsOptions AddEventSubscriber<TKey>(string name, Props props)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(props);
        _subscribers.Add(new EventSubscriberRegistration(name, props, typeof(TKey)));
        return this;
    }

    /// <summary>The kernels to start, in order; when none was added, one named <c>kernel</c> with default options.</summary>
    public ImmutableArray<KernelRegistration> Kernels => _kernels.Count > 0 ? [.. _kernels] : [new KernelRegistration(new RealTimeOptions(), null)];

    /// <summary>The callbacks of <see cref="OnKernelCreated"/>, in order.</summary>
    public ImmutableArray<Action<ActorSystem, RealTimeKernel>> KernelCreatedCallbacks => [.. _onCreated];

    /// <summary>The event-stream subscribers to start, in order.</summary>
    public ImmutableArray<EventSubscriberRegistration> EventSubscribers => [.. _subscribers];
}
