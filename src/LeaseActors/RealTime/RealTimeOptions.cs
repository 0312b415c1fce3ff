using LeaseActors.Kernel;

namespace LeaseActors.RealTime;

/// <summary>How a kernel runs in real-time mode (DESIGN.md §2): its settings, its time scale and where its events go.</summary>
public sealed record RealTimeOptions
{
    /// <summary>The default time scale: one virtual second is 20 wall milliseconds, so Akka's 10 ms timer tick stays below a virtual second.</summary>
    public const double DefaultTimeScale = 50;

    /// <summary>The kernel's settings (sysctls, policy, chaos). Default: Linux's defaults under mainline.</summary>
    public KernelOptions Kernel { get; init; } = new();

    /// <summary>Virtual seconds per wall second. Default <see cref="DefaultTimeScale"/>; 1 is the wall clock itself.</summary>
    public double TimeScale { get; init; } = DefaultTimeScale;

    /// <summary>The kernel actor's name, unique among the actor system's top-level actors, and the <see cref="KernelEvent.Kernel"/> of its events. Default "kernel".</summary>
    public string Name { get; init; } = "kernel";

    /// <summary>
    /// Keep every trace event in <see cref="RealTimeKernel.Trace"/> (needed to judge a run). Default true; a long-running
    /// emulation that only watches the event stream sets it to false, so memory does not grow with its history.
    /// </summary>
    public bool RetainTrace { get; init; } = true;

    /// <summary>Publish every trace event to the actor system's event stream as a <see cref="KernelEvent"/>. Default true.</summary>
    public bool PublishEvents { get; init; } = true;

    /// <summary>The seed of the orders the kernel leaves unspecified (which fd an exiting process closes first). Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>A Serilog logger that gets every event at Debug level, or null.</summary>
    public Serilog.ILogger? Log { get; init; }

    /// <summary>Checks the values and throws an <see cref="ArgumentException"/> naming the first bad one.</summary>
    public RealTimeOptions Validate()
    {
        if (Kernel is null) throw new ArgumentException("Kernel options must be set.", nameof(Kernel));
        Kernel.Validate();
        if (!double.IsFinite(TimeScale) || TimeScale <= 0) throw new ArgumentException($"TimeScale must be a positive number of virtual seconds per wall second, was {TimeScale}.", nameof(TimeScale));
        if (string.IsNullOrWhiteSpace(Name) || !Akka.Actor.ActorPath.IsValidPathElement(Name)) throw new ArgumentException($"Name must be a valid actor name, was '{Name}'.", nameof(Name));
        return this;
    }
}
