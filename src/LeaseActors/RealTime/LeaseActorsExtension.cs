using System.Collections.Concurrent;
using Akka.Actor;

namespace LeaseActors.RealTime;

/// <summary>
/// The real-time kernels of one <see cref="ActorSystem"/>, by name: the plain embedding API for a host that already
/// has a system (<c>system.LeaseActors().Create(options)</c>, then <c>system.LeaseActors().Get("kernel")</c> anywhere
/// the system is at hand). LeaseActors.Hosting's <c>AddLeaseActors</c> creates its kernels through it.
/// </summary>
/// <remarks>
/// <see cref="RealTimeKernel.Create"/> alone makes a kernel but keeps no record of it; this extension is the one place
/// a system's kernels are found again (an actor, a controller, a health check). A kernel stays registered until
/// <see cref="StopAsync"/> removes it or the system terminates. Thread-safe.
/// </remarks>
public sealed class LeaseActorsExtension : IExtension
{
    private readonly ActorSystem _system;
    private readonly ConcurrentDictionary<string, RealTimeKernel> _kernels = new(StringComparer.Ordinal);

    /// <summary>Made by Akka through <see cref="LeaseActorsExtensionProvider"/>; use <c>system.LeaseActors()</c>.</summary>
    public LeaseActorsExtension(ExtendedActorSystem system)
    {
        _system = system ?? throw new ArgumentNullException(nameof(system));
    }

    /// <summary>The kernels now registered, in no particular order.</summary>
    public IReadOnlyCollection<RealTimeKernel> Kernels => [.. _kernels.Values];

    /// <summary>
    /// Creates a kernel as a top-level actor named <see cref="RealTimeOptions.Name"/> (see <see cref="RealTimeKernel.Create"/>)
    /// and registers it under that name.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid, or a kernel of that name is registered already.</exception>
    public RealTimeKernel Create(RealTimeOptions? options = null)
    {
        options = (options ?? new RealTimeOptions()).Validate();
        lock (_kernels)
        {
            if (_kernels.ContainsKey(options.Name))
                throw new ArgumentException($"a kernel named '{options.Name}' is already registered in actor system '{_system.Name}'", nameof(options));
            var kernel = RealTimeKernel.Create(_system, options);
            _kernels[options.Name] = kernel;
            return kernel;
        }
    }

    /// <summary>The kernel named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">None is registered under that name; the message lists those that are.</exception>
    public RealTimeKernel Get(string name = "kernel")
    {
        ArgumentNullException.ThrowIfNull(name);
        return _kernels.TryGetValue(name, out var kernel)
            ? kernel
            : throw new KeyNotFoundException($"no kernel named '{name}' in actor system '{_system.Name}' (registered: {(_kernels.IsEmpty ? "none" : string.Join(", ", _kernels.Keys.Order(StringComparer.Ordinal)))})");
    }

    /// <summary>The kernel named <paramref name="name"/>, if one is registered.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RealTimeKernel? kernel) => _kernels.TryGetValue(name, out kernel);

    /// <summary>Stops the kernel named <paramref name="name"/> (<see cref="RealTimeKernel.StopAsync"/>) and removes it; false when there is none.</summary>
    public async Task<bool> StopAsync(string name, TimeSpan? timeout = null)
    {
        if (!_kernels.TryRemove(name, out var kernel)) return false;
        await kernel.StopAsync(timeout).ConfigureAwait(false);
        return true;
    }
}
