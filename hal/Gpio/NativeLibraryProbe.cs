using System.Runtime.InteropServices;

namespace EdgeNode.Hal.Gpio;

/// <summary>Checks whether a shared library can be loaded, without keeping it.</summary>
internal static class NativeLibraryProbe
{
    public static bool Exists(string name)
    {
        if (!NativeLibrary.TryLoad(name, out nint handle)) return false;
        NativeLibrary.Free(handle);
        return true;
    }
}
