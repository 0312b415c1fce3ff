using Akka.Actor;

namespace LeaseActors.RealTime;

/// <summary>The <c>system.LeaseActors()</c> accessor.</summary>
public static class LeaseActorsSystemExtensions
{
    /// <summary>The system's <see cref="LeaseActorsExtension"/>: its real-time kernels by name.</summary>
    public static LeaseActorsExtension LeaseActors(this ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.WithExtension<LeaseActorsExtension, LeaseActorsExtensionProvider>();
    }
}
