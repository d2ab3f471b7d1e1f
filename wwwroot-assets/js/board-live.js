// Follows one board over the board hub (SignalR, same origin, so the sign-in cookie authorises it)
// and hands every event to the Blazor component that asked.
const connections = new Map();

export async function follow(boardId, component) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(new URL('hubs/board', document.baseURI).toString())
    .withAutomaticReconnect([0, 1000, 3000, 5000, 10000, 20000, 30000])
    .configureLogging(signalR.LogLevel.Warning)
    .build();

  // Handlers return nothing: a returned promise would be taken for a client result by SignalR.
  connection.on('itemsChanged', items => { component.invokeMethodAsync('OnItemsChanged', items); });
  connection.on('itemsRemoved', (_, ids) => { component.invokeMethodAsync('OnItemsRemoved', ids); });
  connection.onreconnecting(() => { component.invokeMethodAsync('OnConnectionChanged', false); });
  connection.onreconnected(async () => {
    await connection.invoke('JoinBoard', boardId);
    await component.invokeMethodAsync('OnConnectionChanged', true);
  });

  await connection.start();
  await connection.invoke('JoinBoard', boardId);
  const key = crypto.randomUUID();
  connections.set(key, connection);
  document.documentElement.dataset.boardLive = boardId;
  return key;
}

// Only the user's own group (joined on connect): generations finishing on any board.
export async function followUser(component) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(new URL('hubs/board', document.baseURI).toString())
    .withAutomaticReconnect()
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  connection.on('itemsChanged', items => { component.invokeMethodAsync('OnItemsChanged', items); });
  connection.on('itemsRemoved', () => { component.invokeMethodAsync('OnItemsChanged', []); });
  await connection.start();
  const key = crypto.randomUUID();
  connections.set(key, connection);
  return key;
}

export async function unfollow(key) {
  const connection = connections.get(key);
  connections.delete(key);
  if (connection) {
    await connection.stop();
  }
}
