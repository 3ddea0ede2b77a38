// Page objects for the Okta admin panels: each knows how to reach its panel and do what an
// admin does there, so the tests read like the seed document's steps.
import { pageFetch } from "./browser.mjs";

/// The activity line above every panel: waits until the simulator's current job is done and
/// returns its message.
export async function settled(page, timeout = 30000) {
  const activity = page.getByTestId("activity");
  await activity.locator(".status--busy").waitFor({ state: "detached", timeout });
  return (await activity.textContent()).trim();
}

/// Waits until the activity line shows `text` (a string or RegExp).
export async function activityShows(page, text) {
  await page.getByTestId("activity").getByText(text).waitFor({ timeout: 30000 });
}

async function go(page, slug, heading) {
  await page.getByRole("navigation", { name: "Panels" }).getByRole("link", { name: heading, exact: true }).click();
  await page.locator(`[data-panel="${slug}"]`).waitFor();
}

export class ProvisioningPanel {
  constructor(page) {
    this.page = page;
  }

  async open(tab = "API Integration") {
    await go(this.page, "provisioning", "Provisioning");
    await this.page.getByRole("tab", { name: tab }).click();
  }

  /// The built-in server's required credential (the app's side).
  async requireBearer(token) {
    const form = this.page.getByRole("form", { name: "Built-in server" });
    await form.getByLabel("Credential the server requires").selectOption("bearer");
    await form.getByLabel("Server bearer token").fill(token);
    await form.getByRole("button", { name: "Save server settings" }).click();
    await form.getByText("The built-in server's settings were saved.").waitFor();
  }

  async editApi() {
    await this.page.getByRole("button", { name: "Edit API Integration" }).click();
  }

  /// Opens API Integration for editing and points it at the external server `base`, with an
  /// HTTP Header credential when `authorization` is given; returns the form (not yet saved).
  async editExternal(base, authorization) {
    await this.open("API Integration");
    await this.editApi();
    const form = this.page.getByRole("form", { name: "API Integration" });
    await form.getByLabel("External SCIM server").check();
    await form.getByRole("textbox", { name: "Base URL" }).fill(base);
    if (authorization) await this.setHeaderAuth(authorization);
    return form;
  }

  async setHeaderAuth(value) {
    const form = this.page.getByRole("form", { name: "API Integration" });
    await form.getByLabel("Authentication Mode").selectOption("header");
    await form.getByLabel("Authorization header value").fill(value);
  }

  async setClient(label) {
    await this.page.getByRole("form", { name: "API Integration" }).getByLabel("Client profile (how Okta talks)").selectOption({ label });
  }

  async testCredentials() {
    await this.page.getByRole("button", { name: "Test API Credentials" }).click();
    return settled(this.page);
  }

  async saveApi() {
    await this.page.getByRole("button", { name: "Save API Integration" }).click();
    await activityShows(this.page, "API Integration saved.");
  }

  async editToOkta() {
    await this.page.getByRole("button", { name: "Edit To Okta" }).click();
  }

  async saveToOkta() {
    await this.page.getByRole("button", { name: "Save To Okta" }).click();
    await activityShows(this.page, "To Okta settings saved.");
  }
}

export class DirectoryPanel {
  constructor(page) {
    this.page = page;
  }

  async open() {
    await go(this.page, "directory", "Directory");
  }

  /// Selects the person whose username is `login` (searching for them first).
  async person(login) {
    await this.page.getByTestId("people-search").fill(login);
    await this.page.locator(`tr[data-login="${login}"]`).click();
    await this.page.getByTestId("person-title").filter({ hasText: login }).waitFor();
  }

  /// The usernames listed, once the list has drawn its first row (a panel opened before the
  /// org has loaded draws its rows a moment later).
  async logins() {
    await this.page.locator("tr[data-login]").first().waitFor();
    return this.page.locator("tr[data-login]").evaluateAll((rows) => rows.map((r) => r.dataset.login));
  }

  async assign() {
    await this.page.getByRole("button", { name: "Assign app" }).click();
    return settled(this.page);
  }

  /// Unassigns the app, accepting the confirmation; returns the activity line and the question.
  async unassign() {
    this.page.once("dialog", (dialog) => {
      this.asked = dialog.message();
      dialog.accept();
    });
    await this.page.getByRole("button", { name: "Unassign app" }).click();
    return settled(this.page);
  }

  async setAttribute(name, value) {
    const form = this.page.getByRole("form", { name: "Profile" });
    await form.locator(`input[name="${name}"]`).fill(value);
    await form.getByRole("button", { name: "Save profile" }).click();
    return settled(this.page);
  }

  async status() {
    return (await this.page.getByTestId("person-status").textContent()).trim();
  }

  async generate(count, { assign = false } = {}) {
    await this.page.getByLabel("How many").fill(String(count));
    if (assign) await this.page.getByLabel("and assign the app").check();
    await this.page.getByRole("button", { name: "Generate people" }).click();
    // Each assigned person is two requests through the worker (the existence check and the
    // POST): 1,200 take about 31 s on the 2-core machine, so the wait grows with the count.
    return settled(this.page, Math.max(30000, count * (assign ? 100 : 10)));
  }
}

export class MappingsPanel {
  constructor(page) {
    this.page = page;
  }

  async open() {
    await go(this.page, "mappings", "Mappings");
  }

  row(target) {
    return this.page.getByTestId("to-app-mappings").locator(`tr[data-target="${target}"]`);
  }

  async type(target, expression) {
    await this.row(target).getByRole("textbox").fill(expression);
  }

  async preview(target) {
    return (await this.row(target).getByTestId("preview").textContent()).trim();
  }

  async save(target) {
    await this.row(target).getByRole("button", { name: "Save mapping" }).click();
    return settled(this.page);
  }
}

export class ImportPanel {
  constructor(page) {
    this.page = page;
  }

  async open() {
    await go(this.page, "import", "Import");
  }

  async importNow() {
    await this.page.getByRole("button", { name: "Import Now" }).click();
    return settled(this.page);
  }

  row(username) {
    return this.page.getByTestId("import-rows").locator(`tr[data-username="${username}"]`);
  }

  async kind(username) {
    return this.row(username).getAttribute("data-kind");
  }

  async decide(username, value) {
    await this.row(username).getByRole("combobox").selectOption(value);
    await settled(this.page);
  }

  async confirmAll() {
    await this.page.getByRole("button", { name: "Select all awaiting" }).click();
    await this.page.getByRole("button", { name: /^Confirm Assignments/ }).click();
    return settled(this.page);
  }

  async stats() {
    return (await this.page.getByTestId("import-stats").textContent()).trim();
  }
}

export class SystemLogPanel {
  constructor(page) {
    this.page = page;
  }

  async open() {
    await go(this.page, "system-log", "System Log");
  }

  async types() {
    return this.page.locator("[data-testid=events] li").evaluateAll((items) => items.map((i) => i.dataset.type));
  }
}

/// The built-in server's user with `userName`, read with the server's credential.
export async function serverUser(page, userName, authorization) {
  const filter = encodeURIComponent(`userName eq "${userName}"`);
  const headers = authorization ? { authorization } : {};
  const list = await pageFetch(page, `/scim/v2/Users?filter=${filter}`, { headers });
  return list.body.Resources?.[0];
}
