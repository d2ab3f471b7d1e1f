// Follows credit changes over the board hub (admins are in its "admins" group) and tells the Blazor component.
const connections = new Map();

export async function follow(component) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(new URL('hubs/board', document.baseURI).toString())
    .withAutomaticReconnect()
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  // Handlers return nothing: a returned promise would be taken for a client result by SignalR.
  connection.on('creditsChanged', () => { component.invokeMethodAsync('OnCreditsChanged'); });
  // The admin's own board events reach this connection too (their user group); boards follow them elsewhere.
  connection.on('itemsChanged', () => {});
  connection.on('itemsRemoved', () => {});
  connection.onreconnected(() => { component.invokeMethodAsync('OnCreditsChanged'); });
  await connection.start();
  const key = crypto.randomUUID();
  connections.set(key, connection);
  document.documentElement.dataset.creditsLive = 'up';
  return key;
}

export async function unfollow(key) {
  const connection = connections.get(key);
  connections.delete(key);
  if (connection) {
    await connection.stop();
  }
}
