namespace StorageServer;

/// <summary>The console entry point; everything else is in <see cref="StorageServerApp"/>, which tests call in-process.</summary>
internal static class Program
{
    private static int Main(string[] args) => StorageServerApp.Run(args, Console.Out, Console.Error);
}
