using Akka.Actor;

namespace LeaseActors.RealTime;

/// <summary>Akka's identifier of <see cref="LeaseActorsExtension"/>: one instance per actor system.</summary>
public sealed class LeaseActorsExtensionProvider : ExtensionIdProvider<LeaseActorsExtension>
{
    /// <inheritdoc />
    public override LeaseActorsExtension CreateExtension(ExtendedActorSystem system) => new(system);
}
