// The signed-in frame: a skip link, the site navigation, the banner for an
// unconfirmed email, the page.
import { useEffect, useRef, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useAuth } from './auth';
import { VerifyEmailBanner } from './verify-email-banner';

const nav = [
  { href: '/chat', label: 'Chat' },
  { href: '/tasks', label: 'Tasks' },
  { href: '/vault', label: 'Vault' },
  { href: '/mailbox', label: 'Mailbox' },
  { href: '/services', label: 'Services' },
  { href: '/settings', label: 'Settings' },
];

export function Layout({ children }: { children: ReactNode }) {
  const { user, signOut } = useAuth();
  const [location, navigate] = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="header-row">
          <Link href="/chat" className="brand">
            Rekey
          </Link>
          {user && (
            <div className="account">
              <span className="who" title={user.email}>
                {user.email}
              </span>
              <button
                type="button"
                className="link-button"
                onClick={async () => {
                  await signOut();
                  navigate('/signin');
                }}
              >
                Sign out
              </button>
            </div>
          )}
        </div>
        {user && (
          <nav aria-label="Main">
            <ul className="nav">
              {nav.map((item) => {
                const current = location === item.href || location.startsWith(`${item.href}/`);
                return (
                  <li key={item.href}>
                    <Link href={item.href} aria-current={current ? 'page' : undefined} className={current ? 'active' : undefined}>
                      {item.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <VerifyEmailBanner />
        {children}
      </main>
    </>
  );
}

/** Sets the document title and moves focus to the page heading, so a screen reader hears the new page. */
export function usePage(title: string) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — Rekey`;
    heading.current?.focus({ preventScroll: true });
  }, [title]);
  return heading;
}

export function PageTitle({ title, children }: { title: string; children?: ReactNode }) {
  const ref = usePage(title);
  return (
    <div className="page-title">
      <h1 ref={ref} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </div>
  );
}
