/*
 * infera-launcher: starts one model instance so that no process of it can outlive the Infera server (issue #20).
 *
 *   usage: infera-launcher <program> [argument...]     (stdin must be a pipe whose only writer is the server)
 *
 * 1. It becomes the leader of a new session and process group (setsid), so the group id is its own pid and the
 *    server stops the whole instance by signalling that group (SIGTERM, a grace, SIGKILL).
 * 2. It forks; the child gets /dev/null as stdin, default signal handling, and execs the program (stdout and stderr
 *    stay the server's pipes).
 * 3. It waits for either event:
 *    - its stdin reports end of file or an error: every writer of the pipe is gone, which happens only when the
 *      server process has exited, however it died (kill -9 included). It kills its whole process group.
 *      This is a property of the process, not of the thread that started it (unlike PR_SET_PDEATHSIG, which fires
 *      when the forking *thread* exits and would kill healthy instances started from retired thread-pool threads).
 *    - the program exits: it kills what the program left in its group (found in /proc) and exits with the program's
 *      status (a signal N is reported as 128 + N, as .NET reports it).
 * SIGTERM, SIGINT, SIGHUP and SIGQUIT sent to the group reach the program; the launcher itself only waits for it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int wake_pipe[2] = {-1, -1};

static void on_child(int signal_number)
{
    (void)signal_number;
    int saved = errno;
    if (write(wake_pipe[1], "c", 1) < 0) {
        /* The pipe is full: a wake-up is already pending. */
    }
    errno = saved;
}

static void on_stop_signal(int signal_number)
{
    /* The program got the same signal from the group; the launcher waits for it to exit. */
    (void)signal_number;
}

/* The server is gone: the whole group dies, the launcher included. */
static void kill_group(void)
{
    kill(0, SIGKILL);
    _exit(137);
}

/* SIGKILLs every other process of the launcher's group (what the program left behind); a few passes catch forks. */
static void kill_rest_of_group(void)
{
    pid_t self = getpid();
    for (int pass = 0; pass < 5; pass++) {
        int found = 0;
        DIR *proc = opendir("/proc");
        if (proc == NULL) {
            return;
        }
        struct dirent *entry;
        while ((entry = readdir(proc)) != NULL) {
            char *end;
            long pid = strtol(entry->d_name, &end, 10);
            if (*end != '\0' || pid <= 0 || pid == self) {
                continue;
            }
            char path[64];
            snprintf(path, sizeof path, "/proc/%ld/stat", pid);
            FILE *stat = fopen(path, "re");
            if (stat == NULL) {
                continue;
            }
            char line[1024];
            size_t length = fread(line, 1, sizeof line - 1, stat);
            fclose(stat);
            line[length] = '\0';
            /* pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses, so parse after the last ')'. */
            char *after = strrchr(line, ')');
            char state;
            long parent, group;
            if (after != NULL && sscanf(after + 1, " %c %ld %ld", &state, &parent, &group) == 3 && group == self && state != 'Z') {
                kill((pid_t)pid, SIGKILL);
                found = 1;
            }
        }
        closedir(proc);
        if (!found) {
            return;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "infera-launcher: usage: infera-launcher <program> [argument...]\n");
        return 127;
    }

    if (setsid() < 0) {
        fprintf(stderr, "infera-launcher: setsid failed: %s\n", strerror(errno));
        return 127;
    }

    if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
        fprintf(stderr, "infera-launcher: pipe failed: %s\n", strerror(errno));
        return 127;
    }

    struct sigaction child_action;
    memset(&child_action, 0, sizeof child_action);
    child_action.sa_handler = on_child;
    child_action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &child_action, NULL);

    struct sigaction stop_action;
    memset(&stop_action, 0, sizeof stop_action);
    stop_action.sa_handler = on_stop_signal;
    stop_action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &stop_action, NULL);
    sigaction(SIGINT, &stop_action, NULL);
    sigaction(SIGHUP, &stop_action, NULL);
    sigaction(SIGQUIT, &stop_action, NULL);

    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "infera-launcher: fork failed: %s\n", strerror(errno));
        return 127;
    }

    if (child == 0) {
        /* Handlers are reset by exec; the signal mask and ignored signals are not, so nothing is ignored or blocked. */
        int null_fd = open("/dev/null", O_RDONLY);
        if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0) {
            fprintf(stderr, "infera-launcher: cannot open /dev/null: %s\n", strerror(errno));
            _exit(127);
        }
        if (null_fd != STDIN_FILENO) {
            close(null_fd);
        }
        execvp(argv[1], &argv[1]);
        fprintf(stderr, "infera-launcher: cannot run %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }

    struct pollfd watched[2];
    watched[0].fd = STDIN_FILENO;
    watched[0].events = POLLIN;
    watched[1].fd = wake_pipe[0];
    watched[1].events = POLLIN;
    for (;;) {
        int status;
        pid_t ended = waitpid(child, &status, WNOHANG);
        if (ended == child) {
            kill_rest_of_group();
            _exit(WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 127);
        }

        watched[0].revents = 0;
        watched[1].revents = 0;
        if (poll(watched, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            kill_group();
        }

        if (watched[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
            kill_group(); /* the server is gone */
        }

        if (watched[0].revents & POLLIN) {
            char buffer[256];
            ssize_t read_count = read(STDIN_FILENO, buffer, sizeof buffer);
            if (read_count == 0 || (read_count < 0 && errno != EINTR && errno != EAGAIN)) {
                kill_group(); /* end of file: the server is gone */
            }
        }

        if (watched[1].revents & POLLIN) {
            char drain[64];
            while (read(wake_pipe[0], drain, sizeof drain) > 0) {
            }
        }
    }
}
