// Shared by the pages that a mailed link opens.

// takeToken returns the token of the link and removes it from the address
// bar and history, so it is not bookmarked, shared or shown again.
export function takeToken() {
  const url = new URL(window.location.href);
  const token = url.searchParams.get("token") || "";
  if (token) {
    url.searchParams.delete("token");
    window.history.replaceState(null, "", url.pathname + url.search);
  }
  return token;
}
