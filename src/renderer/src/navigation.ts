// Where the user is in the app, and how a page sends them elsewhere (open a document, compose, …).
import { createContext, useContext } from 'react';

export type Route =
  | { page: 'documents' }
  | { page: 'compose'; documentId?: string }
  | { page: 'document'; documentId: string }
  | { page: 'inbox' }
  | { page: 'bulk' }
  | { page: 'verify' }
  | { page: 'tokens' }
  | { page: 'settings' };

export type PageName = Route['page'];

/** The pages in the side navigation, in order (document and compose are reached from them). */
export const NAV_PAGES = ['documents', 'compose', 'inbox', 'bulk', 'verify', 'tokens', 'settings'] as const satisfies readonly PageName[];

export interface Navigation {
  route: Route;
  navigate(route: Route): void;
}

export const NavigationContext = createContext<Navigation>({ route: { page: 'documents' }, navigate: () => {} });

export const useNavigation = (): Navigation => useContext(NavigationContext);
