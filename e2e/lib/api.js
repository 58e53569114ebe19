// Direct API calls for test setup (what a test does not walk through the
// pages itself), made in a page's context so cookies land in its browser.

// registerByAPI signs a user up in page's context (cookies set) and
// returns the `me` object.
export async function registerByAPI(page, user) {
  const res = await page.request.post("/api/register", { data: user });
  if (res.status() !== 201) throw new Error(`register ${user.username}: ${res.status()} ${await res.text()}`);
  return (await res.json()).user;
}

// getJSON fetches path with the page's cookies and returns the body.
export async function getJSON(page, path) {
  const res = await page.request.get(path);
  if (!res.ok()) throw new Error(`GET ${path}: ${res.status()} ${await res.text()}`);
  return res.json();
}
