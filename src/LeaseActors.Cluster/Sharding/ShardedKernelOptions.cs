using Akka.Actor;
using LeaseActors.Kernel;
using LeaseActors.RealTime;

namespace LeaseActors.Cluster.Sharding;

/// <summary>How a <see cref="ShardedKernel"/> runs: its settings, time scale, name and where its processes go.</summary>
public sealed record ShardedKernelOptions
{
    /// <summary>The kernel's settings (sysctls, policy). Default: Linux's defaults under mainline. Chaos plans are not supported on a cluster.</summary>
    public KernelOptions Kernel { get; init; } = new();

    /// <summary>Virtual seconds per wall second on every node. Default <see cref="RealTimeOptions.DefaultTimeScale"/>.</summary>
    public double TimeScale { get; init; } = RealTimeOptions.DefaultTimeScale;

    /// <summary>The kernel's name: its root actor's name on its home node and the prefix of its entity ids, unique in the cluster. Default "kernel".</summary>
    public string Name { get; init; } = "kernel";

    /// <summary>The seed of the orders the kernel leaves unspecified. Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// Chooses the node of a new process from its name and the cluster's members that are up (ordered by address).
    /// Default null: round robin over the members in creation order.
    /// </summary>
    public Func<string, IReadOnlyList<Address>, Address>? PlaceProcess { get; init; }

    /// <summary>Checks the values and throws an <see cref="ArgumentException"/> naming the first bad one.</summary>
    public ShardedKernelOptions Validate()
    {
        if (Kernel is null) throw new ArgumentException("Kernel options must be set.", nameof(Kernel));
        Kernel.Validate();
        if (Kernel.Chaos is not null) throw new ArgumentException("A sharded kernel does not run chaos plans (see docs/cluster.md).", nameof(Kernel));
        if (!double.IsFinite(TimeScale) || TimeScale <= 0) throw new ArgumentException($"TimeScale must be a positive number of virtual seconds per wall second, was {TimeScale}.", nameof(TimeScale));
        if (string.IsNullOrWhiteSpace(Name) || !ActorPath.IsValidPathElement(Name) || Name.Contains('.', StringComparison.Ordinal))
            throw new ArgumentException($"Name must be a valid actor name without dots, was '{Name}'.", nameof(Name));
        return this;
    }
}
