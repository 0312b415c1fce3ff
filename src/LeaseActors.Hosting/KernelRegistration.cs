using LeaseActors.RealTime;

namespace LeaseActors.Hosting;

/// <summary>A kernel <see cref="LeaseActorsOptions"/> starts: its options and the ActorRegistry key of your own it is also registered under (or null).</summary>
/// <param name="Options">The kernel's real-time options (its name among them).</param>
/// <param name="RegistryKey">A key type of yours for the ActorRegistry, or null.</param>
public sealed record KernelRegistration(RealTimeOptions Options, Type? RegistryKey);
