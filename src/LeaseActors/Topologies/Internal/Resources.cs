namespace LeaseActors.Topologies.Internal;

/// <summary>Reads text resources embedded in the LeaseActors assembly.</summary>
internal static class Resources
{
    /// <summary>The text of the embedded resource <paramref name="logicalName"/>; a missing one is a build bug.</summary>
    public static string Read(string logicalName)
    {
        using var stream = typeof(Resources).Assembly.GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"The embedded resource {logicalName} is missing from the LeaseActors assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
