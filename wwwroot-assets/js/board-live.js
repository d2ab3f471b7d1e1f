// One connection to the board hub (SignalR, same origin, so the sign-in or share-link cookie authorises it) per page,
// shared by every listener on it: the user's own group, joined on connect (generations finishing on any board,
// notifications, credits moving), and the boards the page follows. Each event goes to the Blazor components that asked.
let shared = null;
const userListeners = new Map();
const boards = new Map();

// Messages of other features (review, sharing, presence) reach a board's component by name with their payload.
const boardMessages = ['reviewChanged', 'threadChanged', 'presenceChanged', 'sharesChanged'];

function connect() {
  shared ??= (async () => {
    const connection = new signalR.HubConnectionBuilder()
      .withUrl(new URL('hubs/board', document.baseURI).toString())
      .withAutomaticReconnect([0, 1000, 3000, 5000, 10000, 20000, 30000])
      .configureLogging(signalR.LogLevel.Warning)
      .build();

    // Handlers return nothing: a returned promise would be taken for a client result by SignalR.
    const toUser = (name, payload) => {
      for (const { component, messages } of userListeners.values()) {
        if (messages.includes(name)) component.invokeMethodAsync('OnUserMessage', name, payload);
      }
    };
    const toBoards = (boardId, method, ...args) => {
      for (const board of boards.values()) {
        if (boardId === null || board.boardId === boardId) board.component.invokeMethodAsync(method, ...args);
      }
    };
    connection.on('userItemsChanged', items => toUser('itemsChanged', items));
    connection.on('notification', n => toUser('notification', n));
    connection.on('creditsChanged', news => toUser('creditsChanged', news ?? null));
    // A board's items carry their board: each page's list takes only its own.
    connection.on('itemsChanged', items => toBoards(null, 'OnItemsChanged', items));
    connection.on('itemsRemoved', (boardId, ids) => toBoards(boardId, 'OnItemsRemoved', ids));
    connection.on('accessChanged', boardId => toBoards(boardId, 'OnAccessChanged'));
    for (const name of boardMessages) {
      connection.on(name, payload => toBoards(null, 'OnBoardMessage', name, payload));
    }

    connection.onreconnecting(() => toBoards(null, 'OnConnectionChanged', false));
    connection.onreconnected(async () => {
      for (const board of boards.values()) {
        try {
          await connection.invoke('JoinBoard', board.boardId);
          await board.component.invokeMethodAsync('OnConnectionChanged', true);
        } catch {
          await board.component.invokeMethodAsync('OnAccessChanged');
        }
      }
    });

    await connection.start();
    return connection;
  })();
  return shared;
}

// Follows one board: its events from now on go to the component.
export async function follow(boardId, component) {
  const key = crypto.randomUUID();
  boards.set(key, { boardId, component });
  try {
    await (await connect()).invoke('JoinBoard', boardId);
  } catch (e) {
    boards.delete(key);
    throw e;
  }

  document.documentElement.dataset.boardLive = boardId;
  return key;
}

// After a change of rights the server has taken the connection off the board; join again at the new level.
export async function rejoin(key) {
  const board = boards.get(key);
  if (board && shared) {
    await (await shared).invoke('JoinBoard', board.boardId);
  }
}

export async function followUser(component, messages) {
  const key = crypto.randomUUID();
  userListeners.set(key, { component, messages: messages ?? ['itemsChanged'] });
  await connect();
  return key;
}

// Stops a listener: a board nobody on the page follows any more is left, and the connection closes with the last one.
export async function unfollow(key) {
  const board = boards.get(key);
  const known = [userListeners.delete(key), boards.delete(key)].some(Boolean);
  if (!known || !shared) return;
  const connection = await shared;
  if (board && ![...boards.values()].some(b => b.boardId === board.boardId)) {
    await connection.invoke('LeaveBoard', board.boardId).catch(() => {});
  }

  if (userListeners.size === 0 && boards.size === 0 && shared) {
    shared = null;
    await connection.stop();
  }
}
