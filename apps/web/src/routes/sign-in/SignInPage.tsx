import { Alert, Box, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { z } from "zod";
import { errorCode, errorMessage } from "../../lib/errors";
import { signIn } from "../../lib/session";
import { queryClient } from "../../trpc";

const route = getRouteApi("/sign-in");

const schema = z.object({
  email: z.email("Enter the email address you sign in with"),
  password: z.string().min(1, "Enter your password"),
});

const reasons: Record<string, string> = {
  expired: "Your session has ended. Sign in again to continue.",
  "signed-out": "You are signed out.",
};

export function SignInPage() {
  const search = route.useSearch();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<{ title: string; message: string } | null>(null);
  const form = useForm({
    mode: "uncontrolled",
    initialValues: { email: "", password: "" },
    validate: schemaResolver(schema, { sync: true }),
  });

  async function submit(values: z.infer<typeof schema>) {
    setFailure(null);
    try {
      await signIn(values.email, values.password);
      queryClient.clear();
      // Only paths of this panel: an absolute URL in ?redirect= must not send anyone elsewhere.
      const back = search.redirect?.startsWith("/") && !search.redirect.startsWith("//") ? search.redirect : "/";
      await navigate({ href: back, replace: true });
    } catch (error) {
      const code = errorCode(error);
      setFailure(
        code === "TOO_MANY_REQUESTS"
          ? { title: "Too many attempts", message: errorMessage(error) }
          : code === "UNAUTHORIZED"
            ? { title: "Could not sign in", message: "The email or password is wrong." }
            : { title: "Could not sign in", message: errorMessage(error) },
      );
      form.setFieldValue("password", "");
    }
  }

  const notice = search.reason ? reasons[search.reason] : undefined;
  return (
    <Center mih="100vh" p="md">
      <Box w="100%" maw={400} component="main">
        <Stack gap="lg">
          <Stack gap={4} ta="center">
            <Title order={1} c="canopy.8">
              Canopy
            </Title>
            <Text c="dimmed">Sign in to manage your account and services</Text>
          </Stack>
          <Paper withBorder shadow="sm" p="lg" radius="md">
            <form onSubmit={form.onSubmit(submit)} noValidate>
              <Stack>
                {notice && !failure && (
                  <Alert color="blue" role="status">
                    {notice}
                  </Alert>
                )}
                {failure && (
                  <Alert color="red" title={failure.title} role="alert">
                    {failure.message}
                  </Alert>
                )}
                <TextInput
                  label="Email"
                  type="email"
                  autoComplete="username"
                  required
                  key={form.key("email")}
                  {...form.getInputProps("email")}
                />
                <PasswordInput
                  label="Password"
                  autoComplete="current-password"
                  required
                  key={form.key("password")}
                  {...form.getInputProps("password")}
                />
                <Button type="submit" loading={form.submitting} fullWidth>
                  Sign in
                </Button>
              </Stack>
            </form>
          </Paper>
        </Stack>
      </Box>
    </Center>
  );
}
