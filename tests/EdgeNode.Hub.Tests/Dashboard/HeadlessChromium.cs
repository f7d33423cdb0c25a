using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace EdgeNode.Hub.Tests.Dashboard;

/// <summary>Debian's chromium + chromium-driver, headless, with the flags the closed network needs (see ENVIRONMENT.md).</summary>
public sealed class HeadlessChromium : IDisposable
{
    private readonly string _profile = Path.Combine(Path.GetTempPath(), "edgenode-chromium-" + Guid.NewGuid().ToString("N"));

    public HeadlessChromium()
    {
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1000",
            "--user-data-dir=" + _profile);
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(90));
    }

    public IWebDriver Driver { get; }

    /// <summary>Polls until <paramref name="condition"/> holds (DOM changes under us are retried), or fails with <paramref name="what"/>.</summary>
    public void Until(Func<IWebDriver, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (condition(Driver))
                {
                    return;
                }
            }
            catch (Exception e) when (e is StaleElementReferenceException or NoSuchElementException)
            {
                last = e;
            }

            Thread.Sleep(50);
        }

        Assert.Fail($"dashboard: timed out waiting for {what}{(last is null ? "" : $" ({last.Message})")}");
    }

    /// <summary>Picks an option of a &lt;select&gt; like a user does (fires its change event).</summary>
    public void Select(string id, string value) =>
        Driver.FindElement(By.CssSelector($"#{id} option[value='{value}']")).Click();

    public string Text(string id) => Driver.FindElement(By.Id(id)).Text;

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
