using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeNode.Hub.Cli;

/// <summary>The CLI's HTTP client for the operator API. A non-success answer becomes a <see cref="HubApiException"/>.</summary>
public sealed class HubApiClient : IDisposable
{
    private readonly HttpClient _http;

    public HubApiClient(Uri baseAddress, string? token, HttpMessageHandler? handler = null)
    {
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = baseAddress;
        _http.Timeout = TimeSpan.FromSeconds(30);
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken ct) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path), ct);

    public Task<JsonElement> PostAsync(string path, object? body, CancellationToken ct) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }) }, ct);

    public Task<JsonElement> DeleteAsync(string path, CancellationToken ct) => SendAsync(new HttpRequestMessage(HttpMethod.Delete, path), ct);

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new HubApiException(0, $"cannot reach the hub at {_http.BaseAddress}: {e.Message}");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                var message = text;
                try
                {
                    using var doc = JsonDocument.Parse(text);
                    message = doc.RootElement.TryGetProperty("error", out var e) ? e.GetString() ?? text : text;
                }
                catch (JsonException)
                {
                }

                throw new HubApiException((int)response.StatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}: {message}");
            }

            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    public void Dispose() => _http.Dispose();
}
