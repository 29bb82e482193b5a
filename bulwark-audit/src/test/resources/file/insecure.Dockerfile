# syntax=docker/dockerfile:1
# A typical "it works on my machine" Dockerfile.
ARG NODE_VERSION=20
FROM node:${NODE_VERSION} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM ubuntu:latest
LABEL maintainer="ops@example.com"
ENV DB_PASSWORD=hunter2 \
    APP_HOME=/opt/app
ARG GITHUB_TOKEN
RUN apt-get update
RUN apt-get install -y curl ca-certificates \
    openssh-server python3-pip
RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
RUN sudo chmod 777 /opt
ADD https://example.com/tools/agent.tar.gz /opt/agent.tar.gz
ADD config.json /etc/app/config.json
COPY id_rsa /root/.ssh/id_rsa
COPY --from=build /src/dist ${APP_HOME}
RUN pip3 install requests flask==3.0.0
EXPOSE 22 8080
USER root
CMD ["node", "/opt/app/server.js"]
