using System.Runtime.InteropServices;

namespace EdgeNode.Hal.Interop;

/// <summary>Turns a failed native call into an exception that names the resource, the call, errno and its text
/// (the shape of dotnet/iot's ExceptionHelper).</summary>
internal static class NativeError
{
    internal static string Describe(int errno) => $"errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)}";

    internal static IOException Exception(string resource, string operation, int errno) =>
        new($"{resource}: {operation} failed ({Describe(errno)})", errno);
}
