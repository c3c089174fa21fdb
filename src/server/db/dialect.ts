// The SQL dialects the server runs on: its own module so the migrations need not import the connection code that runs them.
export type SqlDialectName = 'sqlite' | 'postgres';
