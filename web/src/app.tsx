// Routes. Signed-out people see sign-in and sign-up; the emailed links'
// pages (reset password, confirm email), forgot-password and the development
// outbox work with or without a session; everything else needs one.
import type { ReactNode } from 'react';
import { Redirect, Route, Switch } from 'wouter';
import { AuthProvider, useAuth } from './components/auth';
import { Layout } from './components/layout';
import { SudoProvider } from './components/sudo';
import { ChatPage } from './pages/chat';
import { DevOutboxPage } from './pages/dev-outbox';
import { ForgotPasswordPage } from './pages/forgot-password';
import { MailboxPage } from './pages/mailbox';
import { ResetPasswordPage } from './pages/reset-password';
import { ServicesPage } from './pages/services';
import { SettingsPage } from './pages/settings';
import { SignInPage } from './pages/sign-in';
import { SignUpPage } from './pages/sign-up';
import { TaskDetailPage } from './pages/task-detail';
import { TasksPage } from './pages/tasks';
import { VaultPage } from './pages/vault';
import { VerifyEmailPage } from './pages/verify-email';

function Private({ children }: { children: ReactNode }) {
  const { user, loading } = useAuth();
  if (loading) return <p className="loading">Loading…</p>;
  if (!user) return <Redirect to="/signin" />;
  return <>{children}</>;
}

function PublicOnly({ children }: { children: ReactNode }) {
  const { user, loading } = useAuth();
  if (loading) return <p className="loading">Loading…</p>;
  if (user) return <Redirect to="/chat" />;
  return <>{children}</>;
}

export function App() {
  return (
    <AuthProvider>
      <SudoProvider>
        <Layout>
          <Switch>
            <Route path="/signin">
              <PublicOnly>
                <SignInPage />
              </PublicOnly>
            </Route>
            <Route path="/signup">
              <PublicOnly>
                <SignUpPage />
              </PublicOnly>
            </Route>
            <Route path="/forgot-password">
              <ForgotPasswordPage />
            </Route>
            <Route path="/reset-password">
              <ResetPasswordPage />
            </Route>
            <Route path="/verify-email">
              <VerifyEmailPage />
            </Route>
            <Route path="/dev/outbox">
              <DevOutboxPage />
            </Route>
            <Route path="/chat">
              <Private>
                <ChatPage />
              </Private>
            </Route>
            <Route path="/tasks/:id">
              {(params) => (
                <Private>
                  <TaskDetailPage id={params.id} />
                </Private>
              )}
            </Route>
            <Route path="/tasks">
              <Private>
                <TasksPage />
              </Private>
            </Route>
            <Route path="/vault">
              <Private>
                <VaultPage />
              </Private>
            </Route>
            <Route path="/mailbox">
              <Private>
                <MailboxPage />
              </Private>
            </Route>
            <Route path="/services">
              <Private>
                <ServicesPage />
              </Private>
            </Route>
            <Route path="/settings">
              <Private>
                <SettingsPage />
              </Private>
            </Route>
            <Route path="/">
              <Redirect to="/chat" />
            </Route>
            <Route>
              <NotFound />
            </Route>
          </Switch>
        </Layout>
      </SudoProvider>
    </AuthProvider>
  );
}

function NotFound() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        <a href="/chat">Go to the chat</a>
      </p>
    </div>
  );
}
