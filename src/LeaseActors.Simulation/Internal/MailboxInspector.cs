using System.Reflection;
using Akka.Dispatch;

namespace LeaseActors.Simulation.Internal;

/// <summary>
/// Reads whether a mailbox is suspended. Akka keeps <c>Mailbox.IsSuspended()</c> internal, so it is bound once by
/// reflection; if a future Akka renames it, <see cref="IsSuspended"/> answers null and the check it serves is
/// skipped rather than failing every run.
/// </summary>
internal static class MailboxInspector
{
    private static readonly Func<Mailbox, bool>? s_isSuspended = Bind();

    /// <summary>True or false, or null when this Akka version does not expose the information.</summary>
    public static bool? IsSuspended(Mailbox mailbox) => s_isSuspended?.Invoke(mailbox);

    private static Func<Mailbox, bool>? Bind()
    {
        var method = typeof(Mailbox).GetMethod("IsSuspended", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes);
        return method is { ReturnType: var type } && type == typeof(bool) ? method.CreateDelegate<Func<Mailbox, bool>>() : null;
    }
}
