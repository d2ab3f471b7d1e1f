// Follows one board over the board hub (SignalR, same origin, so the sign-in or share-link cookie authorises it)
// and hands every event to the Blazor component that asked.
const connections = new Map();

// Messages of other features (review, sharing, presence) reach the component by name with their payload.
const boardMessages = ['reviewChanged', 'threadChanged', 'presenceChanged', 'sharesChanged'];

export async function follow(boardId, component) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(new URL('hubs/board', document.baseURI).toString())
    .withAutomaticReconnect([0, 1000, 3000, 5000, 10000, 20000, 30000])
    .configureLogging(signalR.LogLevel.Warning)
    .build();

  // Handlers return nothing: a returned promise would be taken for a client result by SignalR.
  connection.on('itemsChanged', items => { component.invokeMethodAsync('OnItemsChanged', items); });
  connection.on('itemsRemoved', (_, ids) => { component.invokeMethodAsync('OnItemsRemoved', ids); });
  connection.on('accessChanged', id => { if (id === boardId) component.invokeMethodAsync('OnAccessChanged'); });
  // Credit changes reach every connection of the user; the page's user connection hands them on.
  connection.on('creditsChanged', () => {});
  for (const name of boardMessages) {
    connection.on(name, payload => { component.invokeMethodAsync('OnBoardMessage', name, payload); });
  }
  connection.onreconnecting(() => { component.invokeMethodAsync('OnConnectionChanged', false); });
  connection.onreconnected(async () => {
    try {
      await connection.invoke('JoinBoard', boardId);
      await component.invokeMethodAsync('OnConnectionChanged', true);
    } catch {
      await component.invokeMethodAsync('OnAccessChanged');
    }
  });

  await connection.start();
  await connection.invoke('JoinBoard', boardId);
  const key = crypto.randomUUID();
  connections.set(key, { connection, boardId });
  document.documentElement.dataset.boardLive = boardId;
  return key;
}

// After a change of rights the server has taken the connection off the board; join again at the new level.
export async function rejoin(key) {
  const entry = connections.get(key);
  if (entry) {
    await entry.connection.invoke('JoinBoard', entry.boardId);
  }
}

// The user's own group (joined on connect): generations finishing on any board, notifications, credits moving (admins
// are also in the admins group). One connection per page, shared by every component that listens.
let userConnection = null;
const userListeners = new Map();

export async function followUser(component, messages) {
  const key = crypto.randomUUID();
  userListeners.set(key, { component, messages: messages ?? ['itemsChanged'] });
  if (!userConnection) {
    userConnection = (async () => {
      const connection = new signalR.HubConnectionBuilder()
        .withUrl(new URL('hubs/board', document.baseURI).toString())
        .withAutomaticReconnect()
        .configureLogging(signalR.LogLevel.Warning)
        .build();
      const dispatch = (name, payload) => {
        for (const { component, messages } of userListeners.values()) {
          if (messages.includes(name)) component.invokeMethodAsync('OnUserMessage', name, payload);
        }
      };
      connection.on('itemsChanged', items => dispatch('itemsChanged', items));
      connection.on('itemsRemoved', () => dispatch('itemsChanged', []));
      connection.on('notification', n => dispatch('notification', n));
      connection.on('creditsChanged', news => dispatch('creditsChanged', news ?? null));
      await connection.start();
      return connection;
    })();
  }
  await userConnection;
  return key;
}

export async function unfollow(key) {
  if (userListeners.delete(key)) {
    if (userListeners.size === 0 && userConnection) {
      const connection = await userConnection;
      userConnection = null;
      await connection.stop();
    }
    return;
  }
  const entry = connections.get(key);
  connections.delete(key);
  if (entry) {
    await entry.connection.stop();
  }
}
