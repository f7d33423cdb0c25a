namespace EdgeNode.Agent.Supervision;

/// <summary>
/// The name rules the engine puts on container names and labels, checked by hand: a first letter or digit, then
/// letters, digits, '_', '.', '-'. (A regular expression would pull the regex engine into the AOT agent for two checks.)
/// </summary>
internal static class NameRules
{
    /// <summary>An app name: 1-63 characters of a-z, 0-9, '_', '.', '-', starting with a letter or digit.</summary>
    public static bool IsAppName(string? name) => Matches(name, 63, allowUpper: false);

    /// <summary>A supervisor scope: 1-41 characters of a-z, A-Z, 0-9, '_', '.', '-', starting with a letter or digit.</summary>
    public static bool IsScope(string? scope) => Matches(scope, 41, allowUpper: true);

    private static bool Matches(string? value, int maxLength, bool allowUpper)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength) return false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var alnum = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || (allowUpper && char.IsAsciiLetterUpper(c));
            if (alnum) continue;
            if (i == 0 || c is not ('_' or '.' or '-')) return false;
        }
        return true;
    }
}
